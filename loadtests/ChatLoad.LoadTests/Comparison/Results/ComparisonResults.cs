namespace ChatLoad.LoadTests.Comparison;

/// <summary>Everything one comparison produced: every run's outcome, every server's life, and how it all ran.</summary>
public sealed record ComparisonResults
{
    public required ComparisonPlan Plan { get; init; }
    public required RunEnvironment Environment { get; init; }
    public required IReadOnlyList<RungOutcome> Outcomes { get; init; }
    public IReadOnlyList<ServerLifetime> Servers { get; init; } = [];
    public required DateTimeOffset Started { get; init; }
    public required TimeSpan WallTime { get; init; }
    /// <summary>Set when the whole-run bound cut the comparison short.</summary>
    public string? StoppedEarly { get; init; }
    /// <summary>The reference servers among the servers compared (ngIRCd, InspIRCd, the Python ones), described.</summary>
    public IReadOnlyList<ReferenceServerInfo> References { get; init; } = [];

    public IReadOnlyList<string> Modes => Plan.Modes;

    public IEnumerable<string> Scenarios() => Plan.Scenarios;

    public ScenarioTable Table(string scenario) => ScenarioTable.From(scenario, Modes, Outcomes);

    public string WallTimeLine() =>
        $"comparison took {PlanPrinter.Format(WallTime)} (estimated {PlanPrinter.Format(Plan.Estimate)}); " +
        $"{Outcomes.Count(o => o.Succeeded)} runs ok, {Outcomes.Count(o => !o.Succeeded && !o.Skipped)} failed, {Outcomes.Count(o => o.Skipped)} skipped";
}

/// <summary>One server process's life during the comparison: how it started and how it stopped.</summary>
public sealed record ServerLifetime(
    string Mode,
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
    public string Describe()
    {
        if (StartFailure is not null) return $"{Mode} for {Scenario}: did not start: {StartFailure}";
        string idle = IdleRssMb is { } rss ? $", idle {rss:0} MB RSS / {IdleThreads} threads" : "";
        string died = DiedWith is null ? "" : $"; died during a rung: {DiedWith}";
        return $"{Mode} for {Scenario}: accepted after {StartupTime.TotalSeconds:0.0} s{idle}; {Stop?.Describe() ?? "not stopped"}{died}";
    }
}
