using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// The server's command line: short <c>--kebab-case</c> switches mapped onto the "Server" options section, plus
/// the friendlier value forms a person types (<c>--flood-control on</c>, <c>--send-timeout 2s</c>), rewritten into
/// what the configuration binder understands. Anything else passes through (e.g. <c>--Server:Motd=hi</c>).
/// </summary>
public static partial class CommandLineSwitches
{
    /// <summary>Switch → configuration key.</summary>
    public static IReadOnlyDictionary<string, string> Mappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--mode"] = Key(nameof(ServerOptions.Mode)),
        ["--port"] = Key(nameof(ServerOptions.Port)),
        ["--bind"] = Key(nameof(ServerOptions.Bind)),
        ["--server-name"] = Key(nameof(ServerOptions.ServerName)),
        ["--network-name"] = Key(nameof(ServerOptions.NetworkName)),
        ["--metrics-port"] = Key(nameof(ServerOptions.MetricsPort)),
        ["--max-clients"] = Key(nameof(ServerOptions.MaxClients)),
        ["--send-queue-bytes"] = Key(nameof(ServerOptions.SendQueueBytes)),
        ["--send-timeout"] = Key(nameof(ServerOptions.SendTimeout)),
        ["--ping-interval"] = Key(nameof(ServerOptions.PingInterval)),
        ["--ping-timeout"] = Key(nameof(ServerOptions.PingTimeout)),
        ["--registration-timeout"] = Key(nameof(ServerOptions.RegistrationTimeout)),
        ["--shutdown-timeout"] = Key(nameof(ServerOptions.ShutdownTimeout)),
        ["--password"] = Key(nameof(ServerOptions.Password)),
        ["--motd"] = Key(nameof(ServerOptions.Motd)),
        ["--metrics-bind"] = Key(nameof(ServerOptions.MetricsBind)),
        ["--metrics-max-connections"] = Key(nameof(ServerOptions.MetricsMaxConnections)),
        ["--metrics-request-timeout"] = Key(nameof(ServerOptions.MetricsRequestTimeout)),
        ["--flood-control"] = Key(nameof(ServerOptions.FloodControl)),
        ["--flood-burst"] = Key(nameof(ServerOptions.FloodBurstLines)),
        ["--flood-rate"] = Key(nameof(ServerOptions.FloodLinesPerSecond)),
        ["--flood-cooldown"] = Key(nameof(ServerOptions.FloodCooldown)),
        ["--flood-max-queued"] = Key(nameof(ServerOptions.FloodMaxQueuedLines)),
        ["--nick-change-burst"] = Key(nameof(ServerOptions.NickChangeBurst)),
        ["--nick-change-interval"] = Key(nameof(ServerOptions.NickChangeInterval)),
        ["--join-part-burst"] = Key(nameof(ServerOptions.JoinPartBurst)),
        ["--join-part-interval"] = Key(nameof(ServerOptions.JoinPartInterval)),
        ["--max-targets"] = Key(nameof(ServerOptions.MaxTargets)),
        ["--max-channels"] = Key(nameof(ServerOptions.MaxChannels)),
        ["--enforce-utf8"] = Key(nameof(ServerOptions.EnforceUtf8)),
    };

    private static readonly HashSet<string> DurationSwitches = new(StringComparer.OrdinalIgnoreCase)
    {
        "--send-timeout", "--ping-interval", "--ping-timeout", "--registration-timeout", "--shutdown-timeout",
        "--metrics-request-timeout", "--flood-cooldown", "--nick-change-interval", "--join-part-interval",
    };

    private static readonly HashSet<string> OnOffSwitches = new(StringComparer.OrdinalIgnoreCase)
    {
        "--flood-control", "--enforce-utf8",
    };

    /// <summary>
    /// Rewrites friendly values: <c>on|off|yes|no</c> for <c>--flood-control</c> and <c>--enforce-utf8</c>, and <c>500ms</c>, <c>2s</c>,
    /// <c>5m</c> for durations (a plain <c>00:00:02</c> also works). Throws <see cref="FormatException"/> with a
    /// one-line message for a switch without its value.
    /// </summary>
    public static string[] Normalize(string[] args)
    {
        var result = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            result[i] = arg;
            string name = arg;
            string? inlineValue = null;
            int equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inlineValue = arg[(equals + 1)..];
            }
            if (!Mappings.ContainsKey(name))
                continue;

            if (inlineValue is null)
            {
                if (i + 1 >= args.Length || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && !name.Equals("--motd", StringComparison.OrdinalIgnoreCase)))
                    throw new FormatException($"{name} needs a value");
                result[++i] = Rewrite(name, args[i]);
            }
            else
            {
                result[i] = name + "=" + Rewrite(name, inlineValue);
            }
        }
        return result;
    }

    private static string Key(string property) => ServerOptions.SectionName + ":" + property;

    private static string Rewrite(string name, string value)
    {
        if (OnOffSwitches.Contains(name))
        {
            return value.ToLowerInvariant() switch
            {
                "on" or "yes" or "true" or "1" => "true",
                "off" or "no" or "false" or "0" => "false",
                _ => throw new FormatException($"{name.ToLowerInvariant()} must be on or off (got '{value}')"),
            };
        }
        if (DurationSwitches.Contains(name))
        {
            Match m = DurationPattern().Match(value);
            if (m.Success)
            {
                double amount = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                TimeSpan span = m.Groups["unit"].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    _ => TimeSpan.FromHours(amount),
                };
                return span.ToString("c", CultureInfo.InvariantCulture);
            }
        }
        return value;
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<unit>ms|s|m|h)$")]
    private static partial Regex DurationPattern();
}
