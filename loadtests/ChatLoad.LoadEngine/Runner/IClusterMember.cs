using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Runner;

/// <summary>
/// What a run needs from the cluster when it runs on an agent: each scenario's share, and the start barrier — after a
/// scenario's init the agent says so and waits until the coordinator names the instant every agent starts its load
/// at. Null in a single-process run, where a scenario goes from init straight to its load.
/// </summary>
internal interface IClusterMember
{
    ClusterShare ShareFor(string scenario);

    /// <summary>Reports that <paramref name="scenario"/>'s init finished (or failed: then returns at once) and waits for
    /// the agreed start. Returns early when <paramref name="stop"/> is cancelled.</summary>
    Task WaitForStartAsync(string scenario, bool initOk, string? initError, CancellationToken stop);
}

/// <summary>A run as the live console and the metrics endpoint see it: one process's runner, or a whole cluster.</summary>
internal interface ILiveRun
{
    IReadOnlyList<ScenarioProgress> Progress();

    IReadOnlyList<string> LiveWarnings();

    /// <summary>The agents of a cluster run and where each stands; empty for a single process.</summary>
    IReadOnlyList<AgentProgress> Agents();

    /// <summary>The generator's newest health sample (a cluster: the busiest agent's).</summary>
    GeneratorSample? LastGeneratorSample();
}

/// <summary>One agent of a cluster run, for the live views.</summary>
internal sealed record AgentProgress(string Name, string State, double SecondsSinceReport, long Ok, long Fail, int Clients);
