namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// When two modes' figures count as "the same". A shared 2-core machine is noisy, so small differences are not
/// findings; each tolerance says how big a gap must be before the verdict calls it one.
/// </summary>
public sealed record VerdictTolerances
{
    /// <summary>p99 ratio above which one mode is slower. Default 2: on this shared 2-core machine the p99 of one
    /// and the same point moved from 14 ms to 106 ms between three smoke runs, so smaller gaps are not findings.</summary>
    public double LatencyRatio { get; init; } = 2.0;

    /// <summary>Below this p99 (ms) in the slower mode, latency differences are not findings. Default 10 ms: at that
    /// scale a scheduler tick or a GC pause decides the ratio, not the connection model.</summary>
    public double LatencyFloorMs { get; init; } = 10;

    /// <summary>Fewest latency samples (in each mode, median over repeats) for p99 to be compared at all. Default
    /// 100: below that the "p99" is in effect the maximum, and one GC pause or JIT stall decides it.</summary>
    public long MinLatencySamples { get; init; } = 100;

    /// <summary>Throughput ratio below which a mode is behind. Default 0.9: open-model scenarios offer the same
    /// load to both, so a 10% shortfall means the server could not keep up.</summary>
    public double ThroughputRatio { get; init; } = 0.9;

    /// <summary>Loss gap (percentage points) that counts. Default 0.1: zero loss is the goal; a tenth of a percent is
    /// far above any rounding in the counters.</summary>
    public double LossPoints { get; init; } = 0.1;

    /// <summary>Ratio at which one server's cost (threads or memory per client, CPU per delivery) counts as higher.
    /// Default 1.5: costs are steadier than latency, but a third more is still within what a GC cycle moves.</summary>
    public double CostRatio { get; init; } = 1.5;

    /// <summary>Ratio of two servers' sustainable rates below which the lower one fell behind. Default 0.8: the search
    /// resolves rates to about ±19% with one bisection, so closer rates are the same to it.</summary>
    public double SaturationRatio { get; init; } = 0.8;

    public static VerdictTolerances Default { get; } = new();
}
