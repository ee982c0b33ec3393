namespace ChatLoad.LoadEngine;

/// <summary>
/// A scenario's custom metrics by name: asking twice for a name gives the same instance, so any part of a scenario
/// (init, iterations, a receive loop) can reach a metric without passing it around. Counters and histograms are
/// thread-safe and allocation-free to update. The engine samples every metric once a second for the time series;
/// the report shows each and thresholds read them (<c>counter:NAME</c>, <c>gauge:NAME:max</c>, <c>hist:NAME:p99</c>).
/// </summary>
/// <remarks>
/// Counters count from init, warm-up included, so pairs such as "messages expected" / "messages delivered" stay
/// consistent across the warm-up boundary (check <see cref="ScenarioContext.IsWarmUp"/> to count only measured
/// iterations). Histograms record only during the measured part, like step latencies. Gauges are reported as
/// min/mean/max/last over the per-second samples of the measured part. NBomber's way — <see cref="Metric.CreateCounter"/>
/// then <see cref="ScenarioInitContext.RegisterMetric(MetricCounter)"/> — ends in the same place. Abstract so unit
/// tests of scenario code can record into a fake.
/// </remarks>
public abstract class ScenarioMetrics
{
    /// <summary>A monotonically increasing count ("messages expected", "lost").</summary>
    /// <param name="name">Unique among this scenario's counters; the name in reports and thresholds.</param>
    /// <param name="unit">Shown beside the value ("msg", "MB"); used only when the counter is created.</param>
    public abstract MetricCounter Counter(string name, string unit = "");

    /// <summary>A value that goes up and down ("connected clients", "server threads").</summary>
    /// <param name="name">Unique among this scenario's gauges.</param>
    /// <param name="unit">Shown beside the value; used only when the gauge is created.</param>
    /// <param name="merge">How shard results combine it: <see cref="GaugeMerge.Sum"/> for a shard's share
    /// (its connected clients), <see cref="GaugeMerge.Max"/> for a figure every shard observes alike (the
    /// server's threads), which summing would count once per shard.</param>
    public abstract MetricGauge Gauge(string name, string unit = "", GaugeMerge merge = GaugeMerge.Sum);

    /// <summary>A latency distribution recorded outside the iteration (e.g. end-to-end delivery latency measured by
    /// each receiver). Recorded in an HdrHistogram like step latencies and shown with the same percentiles.</summary>
    /// <param name="name">Unique among this scenario's histograms.</param>
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

/// <summary>A monotonically increasing count; see <see cref="ScenarioMetrics.Counter"/>.</summary>
public abstract class MetricCounter
{
    /// <summary>The name in reports and thresholds (<c>counter:NAME</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Adds <paramref name="value"/> (thread-safe).</summary>
    public abstract void Add(long value = 1);

    /// <summary>The count so far.</summary>
    public abstract long Value { get; }
}

/// <summary>A value that goes up and down; see <see cref="ScenarioMetrics.Gauge"/>.</summary>
public abstract class MetricGauge
{
    /// <summary>The name in reports and thresholds (<c>gauge:NAME[:last|min|mean|max]</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Sets the current value (thread-safe; the last writer wins).</summary>
    public abstract void Set(double value);

    /// <summary>The current value.</summary>
    public abstract double Value { get; }
}

/// <summary>A latency distribution; see <see cref="ScenarioMetrics.Histogram"/>.</summary>
public abstract class MetricHistogram
{
    /// <summary>The name in reports and thresholds (<c>hist:NAME:p99</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Records one latency in <see cref="TimeProvider"/> timestamp ticks (e.g. now - sentTimestamp).</summary>
    public abstract void RecordTicks(long elapsedTicks);

    /// <summary>Records one latency.</summary>
    public abstract void Record(TimeSpan latency);
}
