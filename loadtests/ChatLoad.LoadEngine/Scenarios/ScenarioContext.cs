namespace ChatLoad.LoadEngine;

/// <summary>What one iteration of a scenario sees. One instance per scenario copy (closed model) or per
/// iteration (open model); the engine may reuse instances, so do not keep references to it past the iteration.</summary>
public sealed class ScenarioContext
{
    public required string ScenarioName { get; init; }

    /// <summary>Which concurrent copy runs this iteration (closed model), or the iteration's slot (open model).</summary>
    public int CopyNumber { get; internal set; }

    /// <summary>Counts iterations of this scenario from 0.</summary>
    public long InvocationNumber { get; internal set; }

    /// <summary>When the iteration was due, in <see cref="TimeProvider.GetTimestamp"/> ticks. In the open model the
    /// latency is measured from here, not from when it actually started, so a late generator cannot hide latency
    /// (coordinated omission).</summary>
    public long ScheduledTimestamp { get; internal set; }

    /// <summary>True while the warm-up runs: results are not counted.</summary>
    public bool IsWarmUp { get; internal set; }

    public required ScenarioMetrics Metrics { get; init; }
    public required IReadOnlyDictionary<string, string> CustomSettings { get; init; }
    public required TimeProvider Time { get; init; }
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>State the scenario's init put here for its iterations (e.g. a pool of connected clients).</summary>
    public object? ScenarioState { get; internal set; }

    /// <summary>Where <see cref="Step.Run"/> records; null for a context made outside the engine (then steps run
    /// untimed, so scenario code can be unit-tested with a hand-made context).</summary>
    internal Stats.ScenarioStatsCollector? Stats { get; set; }
}

/// <summary>What a scenario's init and clean functions see.</summary>
public sealed class ScenarioInitContext
{
    public required string ScenarioName { get; init; }
    public required ScenarioMetrics Metrics { get; init; }
    public required IReadOnlyDictionary<string, string> CustomSettings { get; init; }
    public required TimeProvider Time { get; init; }
    public required CancellationToken CancellationToken { get; init; }

    /// <summary>The load simulations the scenario will run (init can size pools from them).</summary>
    public required IReadOnlyList<LoadSimulation> LoadSimulations { get; init; }

    /// <summary>Set by init; handed to every iteration as <see cref="ScenarioContext.ScenarioState"/>.</summary>
    public object? ScenarioState { get; set; }

    /// <summary>Lines the scenario wants in the report's notes (e.g. "12 clients dropped as slow consumers").</summary>
    public List<string> Notes { get; } = new();

    /// <summary>Facts for the report's test info (e.g. "server mode" = "async"), merged into
    /// <see cref="Results.TestInfo.Properties"/>. Init and clean may both add to it.</summary>
    public Dictionary<string, string> Properties { get; } = new();
}
