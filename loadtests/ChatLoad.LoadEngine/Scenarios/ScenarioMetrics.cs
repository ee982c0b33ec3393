namespace ChatLoad.LoadEngine;

/// <summary>
/// Scenario-scoped custom metrics, created in init and updated from anywhere (iterations, receive loops).
/// Counters and histograms are thread-safe and allocation-free to update. The engine samples every metric once a
/// second for the time series.
/// </summary>
/// <remarks>
/// Counters count from init, warm-up included, so pairs such as "messages expected" / "messages delivered" stay
/// consistent across the warm-up boundary (check <see cref="ScenarioContext.IsWarmUp"/> to count only measured
/// iterations). Histograms record only during the measured part, like step latencies. Gauges are reported as
/// min/mean/max/last over the per-second samples of the measured part.
/// </remarks>
public abstract class ScenarioMetrics
{
    /// <summary>A monotonically increasing count ("messages expected", "lost").</summary>
    public abstract MetricCounter Counter(string name, string unit = "");

    /// <summary>A value that goes up and down ("connected clients", "server threads").</summary>
    /// <param name="merge">How shard results combine it: <see cref="GaugeMerge.Sum"/> for a shard's share
    /// (its connected clients), <see cref="GaugeMerge.Max"/> for a figure every shard observes alike (the
    /// server's threads), which summing would count once per shard.</param>
    public abstract MetricGauge Gauge(string name, string unit = "", GaugeMerge merge = GaugeMerge.Sum);

    /// <summary>A latency distribution recorded outside the iteration (e.g. end-to-end delivery latency measured by
    /// each receiver). Recorded in an HdrHistogram like step latencies and shown with the same percentiles.</summary>
    public abstract MetricHistogram Histogram(string name);
}

/// <summary>How a gauge combines when the results of several generator shards are merged.</summary>
public enum GaugeMerge
{
    /// <summary>Each shard holds its share: the merged value is the sum (e.g. connected clients).</summary>
    Sum,

    /// <summary>Every shard observes the same thing: the merged value is the highest reading (e.g. server RSS).</summary>
    Max,
}

public abstract class MetricCounter
{
    public abstract string Name { get; }
    public abstract void Add(long value = 1);
    public abstract long Value { get; }
}

public abstract class MetricGauge
{
    public abstract string Name { get; }
    public abstract void Set(double value);
    public abstract double Value { get; }
}

public abstract class MetricHistogram
{
    public abstract string Name { get; }

    /// <summary>Records one latency in <see cref="TimeProvider"/> timestamp ticks (e.g. now - sentTimestamp).</summary>
    public abstract void RecordTicks(long elapsedTicks);

    public abstract void Record(TimeSpan latency);
}
