using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Runner;

/// <summary>Where a scenario stands, for the live console. A snapshot; the runner makes a new one on request.</summary>
internal sealed record ScenarioProgress
{
    public required string Name { get; init; }
    public required ScenarioStage Stage { get; init; }
    /// <summary>1-based number of the running simulation (0 before the first).</summary>
    public int SimulationNumber { get; init; }
    public int SimulationCount { get; init; }
    public string Simulation { get; init; } = "";
    /// <summary>Time in the current stage's simulation, and its planned length.</summary>
    public TimeSpan SimulationElapsed { get; init; }
    public TimeSpan SimulationDuration { get; init; }
    public TimeSpan MeasuredElapsed { get; init; }
    public TimeSpan PlannedMeasuredDuration { get; init; }
    public TimeSeriesPoint? LastSecond { get; init; }
    public long Ok { get; init; }
    public long Fail { get; init; }
    public long Late { get; init; }
    public long Dropped { get; init; }
    public long InFlight { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

internal enum ScenarioStage { Waiting, Init, WarmUp, Running, Draining, Clean, Done, Failed }
