using System.Globalization;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>Parses <c>compare</c>'s command line. Bad input is a clear one-line error, never an exception.</summary>
internal static class ComparisonArgs
{
    public const string HelpText = """
        compare: run the chat scenarios against the server in each connection model and write a side-by-side report.

          compare [--smoke | --full] [options]

          (default)            quick preset: about 5 minutes, up to a few thousand concurrent clients
          --smoke              a few seconds per mode (CI)
          --full               up to 10,000 clients and on to the descriptor ceiling, each point 3 times
          --repeat R           runs per point (median and min-max shown); 1..20
          --modes a,b          connection models, default threads,async
          --peers              also run the reference servers beside them: ngircd, inspircd (Debian packages),
                               py-threads, py-asyncio (peers/python, Debian's python3)
          --servers a,b        exactly these servers, in report order: threads, async, ngircd, inspircd,
                               py-threads, py-asyncio
          --scenarios a,b      only these scenarios (default: the preset's list)
          --out DIR            report folder (default reports/<UTC timestamp>)
          --server-dll PATH    ChatLoad.Server.dll (default: found beside this build)
          --load-dll PATH      ChatLoad.LoadTests.dll (default: this one)
          --max-minutes M      bound on the whole run (default: twice the estimate + 2)
          --shard-clients N    most clients per generator process (default 12000)
          --server-max-clients N  start the server with --max-clients N (a wall you can reach quickly)
          --no-pin             do not pin server and generator to separate cores
          --plan               print the plan and its estimate, run nothing
          --report-only DIR    render DIR's report again from its comparison.json, run nothing
        """;

    public static readonly IReadOnlySet<string> KnownModes = new HashSet<string> { "threads", "async" };

    /// <summary>Every server <c>--servers</c> accepts: ChatLoad's two modes, then the reference servers.</summary>
    public static readonly IReadOnlyList<string> KnownServers = ["threads", "async", .. ReferenceServers.Names];

    public sealed record Result(ComparisonOptions? Options, string? Error);

    public static Result Parse(IReadOnlyList<string> args)
    {
        var o = new ComparisonOptions();
        bool smoke = false, full = false, peers = false, serversGiven = false, modesGiven = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return null;
                return args[++i];
            }
            switch (arg)
            {
                case "compare" when i == 0: break; // tolerated: Program may pass its verb through
                case "--help" or "-h": o = o with { ShowHelp = true }; break;
                case "--smoke": smoke = true; break;
                case "--full": full = true; break;
                case "--no-pin": o = o with { PinCores = false }; break;
                case "--plan": o = o with { PlanOnly = true }; break;
                case "--peers": peers = true; break;
                case "--servers":
                    var servers = List(Value());
                    if (servers is null) return Fail("--servers needs a list such as threads,async,ngircd");
                    var unknownServer = servers.FirstOrDefault(m => !KnownServers.Contains(m));
                    if (unknownServer is not null) return Fail($"unknown server '{unknownServer}' (known: {string.Join(", ", KnownServers)})");
                    o = o with { Modes = servers.Distinct().ToArray() };
                    serversGiven = true;
                    break;
                case "--repeat":
                    if (!TryInt(Value(), 1, 20, out int repeat)) return Fail("--repeat needs a whole number from 1 to 20");
                    o = o with { Repeat = repeat };
                    break;
                case "--shard-clients":
                    if (!TryInt(Value(), 10, 18_000, out int shard)) return Fail("--shard-clients needs a whole number from 10 to 18000");
                    o = o with { MaxClientsPerShard = shard };
                    break;
                case "--server-max-clients":
                    if (!TryInt(Value(), 1, 1_000_000, out int maxClients)) return Fail("--server-max-clients needs a whole number from 1 to 1000000");
                    o = o with { ServerMaxClients = maxClients };
                    break;
                case "--max-minutes":
                    if (!double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double minutes) || minutes <= 0 || minutes > 24 * 60)
                        return Fail("--max-minutes needs a number of minutes above 0 (at most 1440)");
                    o = o with { MaxWallTime = TimeSpan.FromMinutes(minutes) };
                    break;
                case "--modes":
                    var modes = List(Value());
                    if (modes is null) return Fail("--modes needs a list such as threads,async");
                    var unknown = modes.FirstOrDefault(m => !KnownModes.Contains(m));
                    if (unknown is not null) return Fail($"unknown mode '{unknown}' (known: threads, async)");
                    o = o with { Modes = modes.Distinct().ToArray() };
                    modesGiven = true;
                    break;
                case "--scenarios":
                    var scenarios = List(Value());
                    if (scenarios is null) return Fail("--scenarios needs a list such as idle-hold,room-chat");
                    var unknownScenario = scenarios.FirstOrDefault(s => !PlanPresets.KnownScenarios.Contains(s));
                    if (unknownScenario is not null)
                        return Fail($"unknown scenario '{unknownScenario}' (known: {string.Join(", ", PlanPresets.KnownScenarios)})");
                    o = o with { Scenarios = scenarios.Distinct().ToArray() };
                    break;
                case "--out":
                    string? outDir = Value();
                    if (string.IsNullOrWhiteSpace(outDir)) return Fail("--out needs a folder");
                    o = o with { OutputDirectory = outDir };
                    break;
                case "--report-only":
                    string? reportDir = Value();
                    if (string.IsNullOrWhiteSpace(reportDir)) return Fail("--report-only needs the folder of an earlier comparison");
                    o = o with { ReportOnly = reportDir };
                    break;
                case "--server-dll":
                    string? server = Value();
                    if (server is null) return Fail("--server-dll needs a path");
                    o = o with { ServerDll = server };
                    break;
                case "--load-dll":
                    string? load = Value();
                    if (load is null) return Fail("--load-dll needs a path");
                    o = o with { LoadDll = load };
                    break;
                default:
                    return Fail($"unknown option '{arg}'");
            }
        }
        if (smoke && full) return Fail("--smoke and --full exclude each other");
        if (serversGiven && (peers || modesGiven)) return Fail("--servers names every server itself: drop --peers and --modes");
        if (peers) o = o with { Modes = [.. o.Modes, .. ReferenceServers.Names] };
        o = o with { Preset = smoke ? ComparisonPreset.Smoke : full ? ComparisonPreset.Full : ComparisonPreset.Quick };
        return new Result(o, null);
    }

    private static Result Fail(string message) => new(null, message);

    private static bool TryInt(string? text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static string[]? List(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).ToArray();
        return items.Length == 0 ? null : items;
    }
}
