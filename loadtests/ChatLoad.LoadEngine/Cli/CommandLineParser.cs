using System.Globalization;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>
/// A small hand-written parser: <c>--name value</c> or <c>--name=value</c>, repeatable options collected in order,
/// the <c>merge</c> subcommand's file list as positional arguments. Any mistake is a <see cref="UsageException"/>.
/// </summary>
internal static class CommandLineParser
{
    private static readonly string[] ValueOptions =
        ["--scenario", "--target", "--clients", "--rate", "--duration", "--warmup", "--config", "--report-dir",
         "--report-format", "--threshold", "--set", "--name", "--assembly"];

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLineOptions();
        var scenarios = new List<string>();
        var thresholds = new List<string>();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        var assemblies = new List<string>();
        int start = 0;
        if (args.Count > 0 && args[0] == "merge")
        {
            options = options with { Command = CommandKind.Merge };
            start = 1;
        }

        for (int i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (options.Command != CommandKind.Merge)
                    throw new UsageException($"unexpected argument '{arg}' (options start with --; see --help)");
                positional.Add(arg);
                continue;
            }

            string name = arg, value;
            int equals = arg.IndexOf('=');
            if (equals > 0) name = arg[..equals];

            if (name is "--help" or "-h") { options = options with { Command = CommandKind.Help }; continue; }
            if (name == "--list") { if (options.Command != CommandKind.Help) options = options with { Command = CommandKind.List }; continue; }
            if (!ValueOptions.Contains(name)) throw new UsageException($"unknown option '{name}' (see --help)");

            if (equals > 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count) value = args[++i];
            else throw new UsageException($"{name} needs a value");
            if (string.IsNullOrWhiteSpace(value)) throw new UsageException($"{name} needs a non-empty value");

            options = name switch
            {
                "--scenario" => AddList(options, scenarios, value),
                "--target" => options with { Target = ValidTarget(value) },
                "--clients" => options with { Clients = PositiveInt(name, value) },
                "--rate" => options with { Rate = PositiveNumber(name, value) },
                "--duration" => options with { Duration = PositiveDuration(name, value) },
                "--warmup" => options with { WarmUp = DurationText.Parse(value, "--warmup") },
                "--config" => options with { ConfigFile = value },
                "--report-dir" => options with { ReportDir = value },
                "--report-format" => options with { ReportFormats = ParseFormats(value) },
                "--threshold" => AddThreshold(options, thresholds, value),
                "--set" => AddSetting(options, settings, value),
                "--name" => options with { Name = value },
                "--assembly" => AddAssembly(options, assemblies, value),
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }

        if (options.Command == CommandKind.Merge && positional.Count == 0)
            throw new UsageException("merge needs the result files to merge: merge --report-dir DIR A.json B.json ...");
        return options with { Scenarios = scenarios, Thresholds = thresholds, Settings = settings, MergeInputs = positional, Assemblies = assemblies };
    }

    private static CommandLineOptions AddList(CommandLineOptions options, List<string> scenarios, string value)
    {
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!scenarios.Contains(name)) scenarios.Add(name);
        return options;
    }

    private static CommandLineOptions AddAssembly(CommandLineOptions options, List<string> assemblies, string value)
    {
        if (!assemblies.Contains(value)) assemblies.Add(value);
        return options;
    }

    private static CommandLineOptions AddThreshold(CommandLineOptions options, List<string> thresholds, string value)
    {
        try { ThresholdParser.ParseSpec(value); }
        catch (FormatException ex) { throw new UsageException($"--threshold: {ex.Message}"); }
        thresholds.Add(value.Trim());
        return options;
    }

    private static CommandLineOptions AddSetting(CommandLineOptions options, Dictionary<string, string> settings, string value)
    {
        int equals = value.IndexOf('=');
        if (equals <= 0) throw new UsageException($"--set '{value}': write key=value");
        settings[value[..equals].Trim()] = value[(equals + 1)..];
        return options;
    }

    private static string ValidTarget(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new UsageException($"--target '{value}': write HOST:PORT, e.g. 127.0.0.1:6667");
        return value;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"{name} '{value}': expected a whole number of at least 1");

    private static double PositiveNumber(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n > 0
            ? n
            : throw new UsageException($"{name} '{value}': expected a positive number");

    private static TimeSpan PositiveDuration(string name, string value)
    {
        var duration = DurationText.Parse(value, name);
        return duration > TimeSpan.Zero ? duration : throw new UsageException($"{name} '{value}': the duration must be positive");
    }

    public static IReadOnlyList<ReportFormat> ParseFormats(string value)
    {
        var formats = new List<ReportFormat>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var format = ParseFormat(part) ?? throw new UsageException($"report format '{part}' is unknown (use html, md, csv, txt, json or all)");
            foreach (var f in format) if (!formats.Contains(f)) formats.Add(f);
        }
        return formats.Count > 0 ? formats : throw new UsageException("--report-format needs at least one format");
    }

    internal static IReadOnlyList<ReportFormat>? ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "html" => [ReportFormat.Html],
        "md" or "markdown" => [ReportFormat.Markdown],
        "csv" => [ReportFormat.Csv],
        "txt" or "text" => [ReportFormat.Text],
        "json" => [ReportFormat.Json],
        "all" => Enum.GetValues<ReportFormat>(),
        _ => null,
    };
}
