using System.CommandLine;
using ChatLoad.CommandLine;
using ChatLoad.LoadEngine.Diff;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// <c>compare</c>'s command line on System.CommandLine: presets, the servers and scenarios, the saturation SLO, the
/// baseline and its regression rules. Every mistake is found here, before anything starts (exit code 2).
/// </summary>
internal static class ComparisonArgs
{
    public const string Program = "compare";

    private static readonly Option<bool> Smoke = new("--smoke") { Description = "a few seconds per server (CI)" };
    private static readonly Option<bool> Full = new("--full") { Description = "more client counts (to the descriptor ceiling), finer saturation searches, every point 3 times" };
    private static readonly Option<int?> Repeat = Options.Int("--repeat", "runs per point and at each saturation point (median and min–max shown) [default: 3 at saturation points, 1 elsewhere; 3 everywhere with --full]", 1, 20);
    private static readonly Option<string[]> Modes = Options.List("--modes", "our connection models to compare [default: threads,async]", ChatLoadServer.Modes.ToArray(), "mode[,mode]");
    private static readonly Option<bool> Peers = new("--peers") { Description = "also run the reference servers beside them: ngircd, inspircd (Debian packages), py-threads, py-asyncio (peers/python, Debian's python3)" };
    private static readonly Option<string[]> Servers = Options.List("--servers", "exactly these servers, in report order (our modes and the reference servers)", ServersUnderTest.Known.ToArray(), "name[,name]");
    private static readonly Option<string[]> Scenarios = Options.List("--scenarios", "only these scenarios [default: the preset's]", PlanPresets.KnownScenarios.ToArray(), "name[,name]");
    private static readonly Option<string> Out = new("--out") { Description = "report folder [default: reports/<UTC timestamp>]", HelpName = "dir" };
    private static readonly Option<string> ServerDll = new("--server-dll") { Description = "ChatLoad.Server.dll [default: beside this build]", HelpName = "path" };
    private static readonly Option<string> LoadDll = new("--load-dll") { Description = "ChatLoad.LoadTests.dll [default: this one]", HelpName = "path" };
    private static readonly Option<TimeSpan?> MaxTime = Options.Duration("--max-time", "bound on the whole run; past it the rest is skipped and the report still written [default: twice the estimate + 2m]", min: TimeSpan.FromSeconds(1));
    private static readonly Option<TimeSpan?> Slo = Options.Duration("--slo", "the saturation search's service level: p99 end-to-end latency", TimeSpan.FromMilliseconds(50), min: TimeSpan.FromMilliseconds(1));
    private static readonly Option<int?> ShardClients = Options.Int("--shard-clients", "most clients per generator process", 10, 18_000, 12_000);
    private static readonly Option<int?> ServerMaxClients = Options.Int("--server-max-clients", "start our server with --max-clients N (a wall you can reach quickly)", 1, 1_000_000);
    private static readonly Option<string> Cluster = new("--cluster")
    {
        Description = "run each rung's load on agents over this NATS server (loadtest agent --nats URL) instead of local generator processes; needs --agents",
        HelpName = "nats://host:port",
    };
    private static readonly Option<int?> Agents = Options.Int("--agents", "with --cluster: the agents each rung is spread over", 1, 1000);
    private static readonly Option<bool> NoPin = new("--no-pin") { Description = "do not pin server and generator to separate cores" };
    private static readonly Option<bool> PlanOnly = new("--plan") { Description = "print the plan and its estimate, run nothing" };
    private static readonly Option<string> ReportOnly = new("--report-only") { Description = "render DIR's report again from its comparison.json, run nothing", HelpName = "dir" };
    private static readonly Option<string> Baseline = new("--baseline") { Description = "compare against an earlier comparison's folder: deltas per point, and --fail-if rules", HelpName = "dir" };
    private static readonly Option<string[]> FailIf = new("--fail-if")
    {
        Description = "with --baseline: regression rule, repeatable, e.g. \"p99 > +10%\", \"throughput < -5%\"; a broken one makes the exit code 1",
        HelpName = "rule",
        Arity = ArgumentArity.OneOrMore,
        Validators =
        {
            r =>
            {
                foreach (var t in r.Tokens)
                    try { RegressionRule.Parse(t.Value); }
                    catch (FormatException ex) { r.AddError("--fail-if: " + ex.Message); }
            },
        },
    };

    public static RootCommand Create(Func<ComparisonOptions, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand(
            "Runs the chat scenarios against each server under test and writes a side-by-side report, the answer first. " +
            "Default (quick) preset, about 5 minutes on 2 cores: room-chat saturation search at 100 and 1,000 clients " +
            "(3 runs at each point found), idle-hold at 16,000 clients (past the threads ceiling), connect-storm of 2,000.")
        {
            Smoke, Full, Repeat, Modes, Peers, Servers, Scenarios, Out, ServerDll, LoadDll, MaxTime, Slo, ShardClients, ServerMaxClients, NoPin, PlanOnly,
            ReportOnly, Baseline, FailIf, Cluster, Agents,
        };
        root.Validators.Add(r =>
        {
            if (r.GetValue(Smoke) && r.GetValue(Full)) r.AddError("--smoke and --full exclude each other");
            if (r.GetResult(FailIf) is { Tokens.Count: > 0 } && r.GetValue(Baseline) is null) r.AddError("--fail-if needs --baseline DIR: the rules compare against it");
            if (r.GetValue(Cluster) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "nats" or "tls"))
                r.AddError($"--cluster '{url}' is not a NATS server address: write nats://HOST:PORT");
            if (r.GetValue(Cluster) is not null && r.GetValue(Agents) is null) r.AddError("--cluster needs --agents K");
            if (r.GetValue(Cluster) is null && r.GetValue(Agents) is not null) r.AddError("--agents only applies with --cluster nats://HOST:PORT");
            if (r.GetResult(Servers) is { Tokens.Count: > 0 } && (r.GetValue(Peers) || r.GetResult(Modes) is { Tokens.Count: > 0 }))
                r.AddError("--servers names every server itself: drop --peers and --modes");
        });
        root.SetAction((parsed, ct) => run(OptionsOf(parsed), ct));
        return root;
    }

    /// <summary>Parses without running (tests, and the summary of what was asked).</summary>
    public static (ComparisonOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ComparisonOptions? parsedOptions = null;
        var parsed = Create((o, _) => { parsedOptions = o; return Task.FromResult(0); }).Parse(args.SkipWhile(a => a == "compare").ToArray());
        if (parsed.Errors.Count > 0) return (null, CommandLineRun.Problems(parsed)[0]);
        return (OptionsOf(parsed), null);
    }

    private static ComparisonOptions OptionsOf(ParseResult p)
    {
        var o = new ComparisonOptions
        {
            Preset = p.GetValue(Smoke) ? ComparisonPreset.Smoke : p.GetValue(Full) ? ComparisonPreset.Full : ComparisonPreset.Quick,
            Repeat = p.GetValue(Repeat),
            Scenarios = p.GetValue(Scenarios) is { Length: > 0 } s ? s : null,
            ServerDll = p.GetValue(ServerDll),
            LoadDll = p.GetValue(LoadDll),
            MaxWallTime = p.GetValue(MaxTime),
            ServerMaxClients = p.GetValue(ServerMaxClients),
            PinCores = !p.GetValue(NoPin),
            PlanOnly = p.GetValue(PlanOnly),
            ReportOnly = p.GetValue(ReportOnly),
            Baseline = p.GetValue(Baseline),
            FailIf = p.GetValue(FailIf) ?? [],
            Cluster = p.GetValue(Cluster),
            ClusterAgents = p.GetValue(Agents) ?? 1,
        };
        if (p.GetValue(Modes) is { Length: > 0 } modes) o = o with { Servers = modes };
        if (p.GetValue(Peers)) o = o with { Servers = [.. o.Servers, .. ReferenceServers.Names] };
        if (p.GetValue(Servers) is { Length: > 0 } servers) o = o with { Servers = servers };
        if (p.GetValue(Out) is { } outDir) o = o with { OutputDirectory = outDir };
        if (p.GetValue(Slo) is { } slo) o = o with { SloP99Ms = slo.TotalMilliseconds };
        if (p.GetValue(ShardClients) is { } shard) o = o with { MaxClientsPerShard = shard };
        return o;
    }
}
