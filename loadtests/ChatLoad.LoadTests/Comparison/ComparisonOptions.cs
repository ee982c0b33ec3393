namespace ChatLoad.LoadTests.Comparison;

/// <summary>Which ladder to climb. Quick is the default: the whole comparison in about five minutes.</summary>
public enum ComparisonPreset
{
    /// <summary>A few seconds per mode, tiny client counts: proves the pipeline works (CI).</summary>
    Smoke,

    /// <summary>About five minutes on a 2-core machine, up to a few thousand concurrent clients.</summary>
    Quick,

    /// <summary>Up to 10,000 clients and on to the server's descriptor ceiling, every point repeated 3 times.</summary>
    Full,
}

/// <summary>Everything <c>compare</c> was told, with each limit's default and the reason for it.</summary>
public sealed record ComparisonOptions
{
    public ComparisonPreset Preset { get; init; } = ComparisonPreset.Quick;

    /// <summary>Our connection models to compare (<c>--modes</c>), in report order. Default threads then async. Reference
    /// servers join them through <see cref="ServersUnderTest"/>.</summary>
    public IReadOnlyList<string> Servers { get; init; } = ["threads", "async"];

    /// <summary>The saturation search's service level: p99 end-to-end latency in ms (<c>--slo</c>). Default 50 ms
    /// (see <see cref="SaturationSearchSpec.SloP99Ms"/>).</summary>
    public double SloP99Ms { get; init; } = 50;

    /// <summary>A finished comparison's folder to compare this one against (<c>--baseline DIR</c>).</summary>
    public string? Baseline { get; init; }

    /// <summary>Regression rules against the baseline (<c>--fail-if "p99 &gt; +10%"</c>); a broken one makes the exit code 1.</summary>
    public IReadOnlyList<string> FailIf { get; init; } = [];

    /// <summary>Scenarios to run (null = the preset's own list).</summary>
    public IReadOnlyList<string>? Scenarios { get; init; }

    /// <summary>Runs per point; null = the preset's (1, or 3 for full). Medians and min–max spread are reported.</summary>
    public int? Repeat { get; init; }

    /// <summary>Report folder; default <c>reports/&lt;UTC timestamp&gt;</c> under the current directory.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("reports", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));

    /// <summary>The server executable (a framework-dependent dll run with <c>dotnet</c>).</summary>
    public string? ServerDll { get; init; }

    /// <summary>The load CLI; default the assembly this command runs in.</summary>
    public string? LoadDll { get; init; }

    /// <summary>Pin server and generator to separate cores with taskset when the machine has two or more. Default on:
    /// on a shared core the generator's own work would be charged to whichever model it happened to slow down.</summary>
    public bool PinCores { get; init; } = true;

    /// <summary>Passed to the server as <c>--max-clients</c> (null = the server's default, which in practice leaves
    /// its descriptor and thread ceilings to decide). Lets a run put a mode's wall where it can be reached quickly.</summary>
    public int? ServerMaxClients { get; init; }

    /// <summary>Print the plan and stop.</summary>
    public bool PlanOnly { get; init; }

    public bool ShowHelp { get; init; }

    /// <summary>The command as given, for the report ("compare --smoke ...").</summary>
    public string CommandLine { get; init; } = "compare";

    /// <summary>Render the report again from a finished comparison's folder (its comparison.json); run nothing.</summary>
    public string? ReportOnly { get; init; }

    /// <summary>Bound on the whole comparison; null = twice the plan's estimate plus two minutes. Past it the remaining
    /// rungs are recorded as skipped and the report is still written.</summary>
    public TimeSpan? MaxWallTime { get; init; }

    /// <summary>Most clients one generator process holds before the rung is split into shards. Default 12,000: the
    /// open-file limit is 20,000 per process and each client is one descriptor, so this leaves wide room for the
    /// runtime's own descriptors, while rungs up to 10,000 stay in one process (no CPU spent on a second runtime).</summary>
    public int MaxClientsPerShard { get; init; } = 12_000;

    /// <summary><c>--cluster nats://…</c>: each rung's load runs on these agents (a coordinator child process with
    /// <c>--cluster --agents</c>) instead of on local generator shards. Null = local shards (the default). The servers
    /// under test listen on loopback, so the agents run on this machine (<c>scripts/cluster.sh</c> starts them).</summary>
    public string? Cluster { get; init; }

    /// <summary><c>--agents K</c> with <see cref="Cluster"/>: the agents every rung is spread over.</summary>
    public int ClusterAgents { get; init; } = 1;

    /// <summary>How long the server may take to accept its first connection. Default 30 s: a cold .NET start on a
    /// busy 2-core machine takes a few seconds; anything near 30 s means it is not coming up.</summary>
    public TimeSpan ServerStartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server may take to exit after SIGTERM before it is killed. Default 15 s: the server's own
    /// shutdown timeout is 5 s, plus time to close thousands of sockets.</summary>
    public TimeSpan ServerStopTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Stop climbing a scenario's ladder in a mode after this many consecutive failed rungs: higher rungs
    /// would only fail the same way and cost time. Default 2, so one transient failure does not end the ladder.</summary>
    public int StopLadderAfterConsecutiveFailures { get; init; } = 2;
}
