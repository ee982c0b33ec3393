using System.Collections.Concurrent;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Stats;

/// <summary>
/// The engine's <see cref="ScenarioMetrics"/>: counters, gauges and histograms by name (asking twice for a name gives
/// the same instance). Counters count from creation, warm-up included, so pairs such as "expected"/"delivered" stay
/// consistent across the warm-up boundary; histograms record only while the measured part runs, like step latencies.
/// </summary>
internal sealed class ScenarioMetricsCollector : ScenarioMetrics
{
    private readonly ConcurrentDictionary<string, CounterMetric> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GaugeMetric> _gauges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HistogramMetric> _histograms = new(StringComparer.Ordinal);
    private readonly MeasurementGate _gate;
    private readonly TimeProvider _time;

    public ScenarioMetricsCollector(MeasurementGate gate, TimeProvider time)
    {
        _gate = gate;
        _time = time;
    }

    public override MetricCounter Counter(string name, string unit = "") =>
        _counters.GetOrAdd(MetricNames.Valid(name), static (n, u) => new CounterMetric(n, u), unit);

    public override MetricGauge Gauge(string name, string unit = "", GaugeMerge merge = GaugeMerge.Sum) =>
        _gauges.GetOrAdd(MetricNames.Valid(name), static (n, arg) => new GaugeMetric(n, arg.unit, arg.merge), (unit, merge));

    public override MetricHistogram Histogram(string name) =>
        _histograms.GetOrAdd(MetricNames.Valid(name), static (n, self) => self.Attached(new HistogramMetric(n)), this);

    /// <summary>Adopts a metric made by <see cref="Metric"/> (NBomber's <c>RegisterMetric</c>). Registering the
    /// same instance twice is harmless; a different metric under a name already taken is an error.</summary>
    public void Register(MetricCounter counter) => Adopt(_counters, counter as CounterMetric ?? throw NotEngineMade(counter.Name), "counter");

    public void Register(MetricGauge gauge) => Adopt(_gauges, gauge as GaugeMetric ?? throw NotEngineMade(gauge.Name), "gauge");

    public void Register(MetricHistogram histogram)
    {
        var engineMade = histogram as HistogramMetric ?? throw NotEngineMade(histogram.Name);
        Adopt(_histograms, engineMade, "histogram");
        engineMade.Attach(_gate, _time);
    }

    private HistogramMetric Attached(HistogramMetric histogram)
    {
        histogram.Attach(_gate, _time);
        return histogram;
    }

    private static void Adopt<T>(ConcurrentDictionary<string, T> metrics, T metric, string kind) where T : class
    {
        string name = metric switch { MetricCounter c => c.Name, MetricGauge g => g.Name, MetricHistogram h => h.Name, _ => "" };
        var registered = metrics.GetOrAdd(name, metric);
        if (!ReferenceEquals(registered, metric))
            throw new ArgumentException($"a {kind} named '{name}' is already registered in this scenario");
    }

    private static ArgumentException NotEngineMade(string name) =>
        new($"metric '{name}' was not made by Metric.Create*: only those can be registered");

    /// <summary>Once a second: histograms fold their interval in.
    /// Returns the values for the time series (counters cumulative, gauges current).</summary>
    public Dictionary<string, double> SampleSecond()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var counter in _counters.Values) values[counter.Name] = counter.Value;
        foreach (var gauge in _gauges.Values) values[gauge.Name] = gauge.Value;
        foreach (var histogram in _histograms.Values) histogram.Recorder.TakeInterval(encode: false);
        return values;
    }

    /// <summary>Drops histogram values recorded before the measured part began.</summary>
    public void ResetHistograms()
    {
        foreach (var histogram in _histograms.Values) histogram.Recorder.Reset();
    }

    public IReadOnlyList<string> CounterNames() => _counters.Keys.Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> SharedGaugeNames() =>
        _gauges.Values.Where(g => g.Merge == GaugeMerge.Max).Select(g => g.Name).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<CounterResult> CounterResults() =>
        _counters.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new CounterResult(c.Name, c.Unit, c.Value)).ToList();

    /// <summary>Min, mean, max and last over the time series' samples (one a second, the last one taken after the
    /// drain and before clean, so "connected clients" is not reported as the 0 that clean leaves). A run shorter
    /// than a second has no sample: the current value is then the only fact there is.</summary>
    public IReadOnlyList<GaugeResult> GaugeResults(IReadOnlyList<TimeSeriesPoint> series) =>
        _gauges.Values.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g =>
        {
            var samples = series.Where(p => p.Metrics.ContainsKey(g.Name)).Select(p => p.Metrics[g.Name]).ToList();
            double last = samples.Count > 0 ? samples[^1] : g.Value;
            return samples.Count == 0
                ? new GaugeResult(g.Name, g.Unit, last, last, last, last, g.Merge)
                : new GaugeResult(g.Name, g.Unit, samples.Min(), samples.Average(), samples.Max(), last, g.Merge);
        }).ToList();

    public IReadOnlyList<LatencyResult> HistogramResults() =>
        _histograms.Values.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h =>
        {
            h.Recorder.TakeInterval(encode: false);
            return LatencyHistograms.Summarize(h.Name, h.Recorder.SnapshotTotal());
        }).ToList();
}
