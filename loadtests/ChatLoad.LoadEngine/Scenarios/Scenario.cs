namespace ChatLoad.LoadEngine;

/// <summary>
/// A named workload: optional init and clean, and a run function called once per iteration.
/// Immutable; the With* methods return a changed copy (NBomber's <c>Scenario.Create(...).WithLoadSimulations(...)</c>).
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    public required Func<ScenarioContext, ValueTask<Response>> Run { get; init; }
    public Func<ScenarioInitContext, Task>? Init { get; init; }
    public Func<ScenarioInitContext, Task>? Clean { get; init; }
    public IReadOnlyList<LoadSimulation> LoadSimulations { get; init; } = [LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(10))];
    public TimeSpan WarmUpDuration { get; init; } = TimeSpan.Zero;
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];
    public IReadOnlyDictionary<string, string> CustomSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>One line for <c>--list</c>.</summary>
    public string Description { get; init; } = "";

    /// <summary>The metrics and steps this scenario records, when it says so: thresholds naming a counter, gauge,
    /// histogram or step it does not record are then rejected before anything runs (a typo must not fail only after
    /// the whole run). Null = not declared, names unchecked.</summary>
    public ScenarioMetricNames? DeclaredMetrics { get; init; }

    /// <summary>The custom histogram that is this scenario's headline latency in reports (e.g. a chat scenario's
    /// end-to-end delivery latency, not the send call's); null = the iteration latency.</summary>
    public string? HeadlineLatency { get; init; }

    public static Scenario Create(string name, Func<ScenarioContext, ValueTask<Response>> run) => new() { Name = name, Run = run };

    public Scenario WithInit(Func<ScenarioInitContext, Task> init) => this with { Init = init };
    public Scenario WithClean(Func<ScenarioInitContext, Task> clean) => this with { Clean = clean };
    public Scenario WithLoadSimulations(params LoadSimulation[] simulations) => this with { LoadSimulations = simulations };
    public Scenario WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };
    public Scenario WithoutWarmUp() => this with { WarmUpDuration = TimeSpan.Zero };
    public Scenario WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds };
    public Scenario WithDescription(string description) => this with { Description = description };
    public Scenario WithCustomSettings(IReadOnlyDictionary<string, string> settings) => this with { CustomSettings = settings };
    public Scenario WithDeclaredMetrics(ScenarioMetricNames names) => this with { DeclaredMetrics = names };
    public Scenario WithHeadlineLatency(string histogram) => this with { HeadlineLatency = histogram };
}

/// <summary>The names a scenario records, for checking thresholds before a run (<see cref="Scenario.DeclaredMetrics"/>).</summary>
public sealed record ScenarioMetricNames
{
    public IReadOnlyList<string> Counters { get; init; } = [];
    public IReadOnlyList<string> Gauges { get; init; } = [];
    public IReadOnlyList<string> Histograms { get; init; } = [];
    public IReadOnlyList<string> Steps { get; init; } = [];
}

/// <summary>
/// Thrown by a scenario's init when its target does not answer at all (nothing listening, refused, timed out):
/// the run stops with exit code 3 and says so, instead of measuring nothing and reporting a table of zeros.
/// </summary>
public sealed class TargetUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
