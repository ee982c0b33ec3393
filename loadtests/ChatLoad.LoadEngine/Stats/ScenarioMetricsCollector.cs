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
    private readonly double _microsPerTick;

    public ScenarioMetricsCollector(MeasurementGate gate, TimeProvider time)
    {
        _gate = gate;
        _microsPerTick = 1_000_000.0 / time.TimestampFrequency;
    }

    public override MetricCounter Counter(string name, string unit = "") =>
        _counters.GetOrAdd(ValidName(name), static (n, u) => new CounterMetric(n, u), unit);

    public override MetricGauge Gauge(string name, string unit = "", GaugeMerge merge = GaugeMerge.Sum) =>
        _gauges.GetOrAdd(ValidName(name), static (n, arg) => new GaugeMetric(n, arg.unit, arg.merge), (unit, merge));

    public override MetricHistogram Histogram(string name) =>
        _histograms.GetOrAdd(ValidName(name), static (n, self) => new HistogramMetric(n, self._gate, self._microsPerTick), this);

    private static string ValidName(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("a metric needs a name", nameof(name)) : name;

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

    private sealed class CounterMetric(string name, string unit) : MetricCounter
    {
        private long _value;
        public override string Name => name;
        public string Unit => unit;
        public override void Add(long value = 1) => Interlocked.Add(ref _value, value);
        public override long Value => Volatile.Read(ref _value);
    }

    private sealed class GaugeMetric(string name, string unit, GaugeMerge merge) : MetricGauge
    {
        private double _value;
        public override string Name => name;
        public string Unit => unit;
        public GaugeMerge Merge => merge;
        public override void Set(double value) => Volatile.Write(ref _value, value);
        public override double Value => Volatile.Read(ref _value);
    }

    private sealed class HistogramMetric(string name, MeasurementGate gate, double microsPerTick) : MetricHistogram
    {
        public LatencyRecorder Recorder { get; } = new(name);
        public override string Name => name;

        public override void RecordTicks(long elapsedTicks)
        {
            if (gate.IsOpen) Recorder.RecordMicros((long)(elapsedTicks * microsPerTick));
        }

        public override void Record(TimeSpan latency)
        {
            if (gate.IsOpen) Recorder.RecordMicros(latency.Ticks / TimeSpan.TicksPerMicrosecond);
        }
    }
}
