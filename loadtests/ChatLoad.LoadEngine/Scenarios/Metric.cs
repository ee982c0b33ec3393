using ChatLoad.LoadEngine.Stats;

namespace ChatLoad.LoadEngine;

/// <summary>
/// Custom metrics made before a scenario exists, by NBomber's names: <c>var sent = Metric.CreateCounter("sent",
/// unitOfMeasure: "msg");</c> then, in init, <c>context.RegisterMetric(sent);</c>. A metric records nothing until it
/// is registered with one scenario. <see cref="ScenarioContext.Metrics"/> reaches the same metrics by name.
/// </summary>
public static class Metric
{
    /// <summary>A counter; register it in init with <see cref="ScenarioInitContext.RegisterMetric(MetricCounter)"/>.</summary>
    public static MetricCounter CreateCounter(string name, string unitOfMeasure = "") =>
        new CounterMetric(MetricNames.Valid(name), unitOfMeasure);

    /// <summary>A gauge; register it in init with <see cref="ScenarioInitContext.RegisterMetric(MetricGauge)"/>.</summary>
    /// <param name="name">The gauge's name.</param>
    /// <param name="unitOfMeasure">Shown beside the value.</param>
    /// <param name="merge">How shard results combine it (see <see cref="ScenarioMetrics.Gauge"/>).</param>
    public static MetricGauge CreateGauge(string name, string unitOfMeasure = "", GaugeMerge merge = GaugeMerge.Sum) =>
        new GaugeMetric(MetricNames.Valid(name), unitOfMeasure, merge);

    /// <summary>A latency histogram (not in NBomber); register it in init with
    /// <see cref="ScenarioInitContext.RegisterMetric(MetricHistogram)"/>.</summary>
    public static MetricHistogram CreateHistogram(string name) => new HistogramMetric(MetricNames.Valid(name));
}
