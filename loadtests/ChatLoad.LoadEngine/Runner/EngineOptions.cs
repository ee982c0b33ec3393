namespace ChatLoad.LoadEngine;

/// <summary>Limits and tolerances of the runner itself. Every one has a default that suits a 2-core generator.</summary>
public sealed record EngineOptions
{
    /// <summary>Open model: an iteration that starts more than this after its scheduled time counts as late.
    /// Default 10 ms: well above the scheduler's timer granularity (about 1 ms) and the ordinary jitter of a busy
    /// machine, so "late" means the generator really fell behind. Latency is measured from the schedule either way.</summary>
    public TimeSpan LateTolerance { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Open model: at most this many seconds' worth of iterations (rate × seconds) may be in flight; beyond
    /// it new iterations are dropped and counted. Default 10 s, so a dead target that never answers cannot grow
    /// the generator's memory without bound, while a slow one still gets ten seconds of patience.</summary>
    public double MaxInFlightSeconds { get; init; } = 10;

    /// <summary>Open model: the in-flight cap is never lower than this (very low rates). Default 100.</summary>
    public int MinInFlightCap { get; init; } = 100;

    /// <summary>Open model: an absolute in-flight cap that replaces the rate-based one when set.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>After the last simulation, in-flight iterations get this long to finish before they are cancelled.
    /// Default 5 s: enough for a normal request, short enough that a hung target does not hang the run.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a scenario's clean may take after the run was cancelled. Default 10 s.</summary>
    public TimeSpan CleanTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Closed model: how often a ramping copy count is re-computed. Default 100 ms (ten steps a second).</summary>
    public TimeSpan RampStep { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Closed model: a copy whose iterations complete synchronously yields its thread after this many in a
    /// row. Default 64: the yield costs one work item, while never yielding would starve the timers and the other
    /// copies of thread-pool threads.</summary>
    public int SyncIterationsBeforeYield { get; init; } = 64;

    /// <summary>Watch the generator's CPU, timer lag and thread pool (on by default; tests on fake time turn it off).</summary>
    public bool MonitorGenerator { get; init; } = true;

    internal long InFlightCapFor(double ratePerSecond) =>
        MaxInFlight ?? Math.Max(MinInFlightCap, (long)Math.Ceiling(ratePerSecond * MaxInFlightSeconds));

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (LateTolerance < TimeSpan.Zero) throw new ArgumentException("engine lateTolerance must not be negative");
        if (MaxInFlightSeconds <= 0) throw new ArgumentException("engine maxInFlightSeconds must be positive");
        if (MaxInFlight is <= 0) throw new ArgumentException("engine maxInFlight must be positive");
        if (DrainTimeout < TimeSpan.Zero) throw new ArgumentException("engine drainTimeout must not be negative");
        if (RampStep <= TimeSpan.Zero) throw new ArgumentException("engine rampStep must be positive");
        if (SyncIterationsBeforeYield <= 0) throw new ArgumentException("engine syncIterationsBeforeYield must be positive");
    }
}
