namespace ChatLoad.LoadTests.Comparison;

/// <summary>Everything one comparison produced: every run's outcome, every server's life, and how it all ran.</summary>
public sealed record ComparisonResults
{
    public required ComparisonPlan Plan { get; init; }
    public required RunEnvironment Environment { get; init; }
    public required IReadOnlyList<RungOutcome> Outcomes { get; init; }
    public IReadOnlyList<ServerLifetime> ServerProcesses { get; init; } = [];
    public required DateTimeOffset Started { get; init; }
    public required TimeSpan WallTime { get; init; }
    /// <summary>Set when the whole-run bound cut the comparison short.</summary>
    public string? StoppedEarly { get; init; }
    /// <summary>The reference servers among the servers compared (ngIRCd, InspIRCd, the Python ones), described.</summary>
    public IReadOnlyList<ReferenceServerInfo> References { get; init; } = [];

    /// <summary>This comparison against an earlier one (<c>--baseline</c>), when asked; computed, not saved.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BaselineComparison? Baseline { get; init; }

    /// <summary>The saturation search's service level, p99 end-to-end latency in ms.</summary>
    public double SloP99Ms { get; init; } = 50;

    /// <summary>Servers under test, in report order (ours first).</summary>
    public IReadOnlyList<string> Servers => Plan.Servers;

    public IEnumerable<string> Scenarios() => Plan.Scenarios;

    /// <summary>A scenario's plain measurements (not its search probes), every server over its client counts.</summary>
    public ScenarioTable Table(string scenario) => ScenarioTable.From(scenario, Servers, Outcomes.Where(o => o.Rung.Search is null));

    /// <summary>A scenario's saturation points, when its rungs were searched; null otherwise.</summary>
    public SaturationTable? Saturation(string scenario) => SaturationTable.From(scenario, Servers, Outcomes);

    /// <summary>The servers whose verdicts the answer gives: ours (threads, async) when present.</summary>
    public (string? Threads, string? Async) OurPair =>
        (Servers.FirstOrDefault(s => s == "threads"), Servers.FirstOrDefault(s => s == "async"));

    public string WallTimeLine() =>
        $"comparison took {PlanPrinter.Format(WallTime)} (estimated {PlanPrinter.Format(Plan.Estimate)}); " +
        $"{Outcomes.Count(o => o.Succeeded)} runs ok, {Outcomes.Count(o => !o.Succeeded && !o.Skipped)} failed, {Outcomes.Count(o => o.Skipped)} skipped";
}

/// <summary>One server process's life during the comparison: how it started and how it stopped.</summary>
public sealed record ServerLifetime(
    string Server,
    string Scenario,
    int Port,
    string CommandLine,
    TimeSpan StartupTime,
    double? IdleRssMb,
    int? IdleThreads,
    ServerStop? Stop,
    string? StartFailure,
    string? DiedWith)
{
    /// <summary>The server's own log line about its connection ceiling, when it wrote one (ours does at start).</summary>
    public string? CeilingLine { get; init; }

    public string Describe()
    {
        if (StartFailure is not null) return $"{Server} for {Scenario}: did not start: {StartFailure}";
        string idle = IdleRssMb is { } rss ? $", idle {rss:0} MB RSS / {IdleThreads} threads" : "";
        string died = DiedWith is null ? "" : $"; died during a rung: {DiedWith}";
        return $"{Server} for {Scenario}: accepted after {StartupTime.TotalSeconds:0.0} s{idle}; {Stop?.Describe() ?? "not stopped"}{died}";
    }
}
