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

    public static Scenario Create(string name, Func<ScenarioContext, ValueTask<Response>> run) => new() { Name = name, Run = run };

    public Scenario WithInit(Func<ScenarioInitContext, Task> init) => this with { Init = init };
    public Scenario WithClean(Func<ScenarioInitContext, Task> clean) => this with { Clean = clean };
    public Scenario WithLoadSimulations(params LoadSimulation[] simulations) => this with { LoadSimulations = simulations };
    public Scenario WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };
    public Scenario WithoutWarmUp() => this with { WarmUpDuration = TimeSpan.Zero };
    public Scenario WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds };
    public Scenario WithDescription(string description) => this with { Description = description };
    public Scenario WithCustomSettings(IReadOnlyDictionary<string, string> settings) => this with { CustomSettings = settings };
}
