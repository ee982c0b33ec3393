namespace ChatLoad.LoadEngine.Health;

/// <summary>When the generator counts as the bottleneck. Defaults follow the usual advice for load generators:
/// keep the generator's CPU under ~90% and its timers on time, or its numbers describe itself, not the target.</summary>
internal sealed record GeneratorHealthOptions
{
    /// <summary>How often the lag probe fires. Default 100 ms: fine enough to catch a stalled thread pool.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>CPU share of all cores above which a second counts as saturated. Default 90%.</summary>
    public double CpuPercentLimit { get; init; } = 90;

    /// <summary>Consecutive saturated seconds before a warning. Default 3: one busy second is GC or JIT, three are load.</summary>
    public int CpuSecondsLimit { get; init; } = 3;

    /// <summary>Timer lag p99 above which the generator is called late. Default 50 ms.</summary>
    public TimeSpan LagP99Limit { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Probes needed before the lag p99 is judged. Default 30 (three seconds): the first probes of a
    /// process pay for JIT compilation and start-up, and one late timer among five is not a starved pool.</summary>
    public int MinimumProbesForLagWarning { get; init; } = 30;

    /// <summary>Probes later than <see cref="LagP99Limit"/> needed for the lag warning. Default 3: on a short run p99
    /// is the single worst probe, and one hiccup (a GC, a noisy neighbour) is not a starved thread pool.</summary>
    public int MinimumLateProbes { get; init; } = 3;

    /// <summary>Thread-pool queue length that, growing for <see cref="QueueGrowthSeconds"/> seconds in a row, means the
    /// generator queues work faster than it runs it. Default 1000 items.</summary>
    public long QueueLengthLimit { get; init; } = 1000;

    /// <summary>Default 3 consecutive seconds of growth.</summary>
    public int QueueGrowthSeconds { get; init; } = 3;
}
