using System.Collections.Concurrent;
using ChatLoad.LoadEngine;

namespace ChatLoad.LoadClient.Tests.Support;

/// <summary>An in-memory <see cref="ScenarioMetrics"/> for unit tests: keeps every counter, gauge and latency.</summary>
internal sealed class RecordingMetrics : ScenarioMetrics
{
    private readonly ConcurrentDictionary<string, CounterImpl> _counters = new();
    private readonly ConcurrentDictionary<string, GaugeImpl> _gauges = new();
    private readonly ConcurrentDictionary<string, Hist> _histograms = new();

    public override MetricCounter Counter(string name, string unit = "") => _counters.GetOrAdd(name, n => new CounterImpl(n));
    public override MetricGauge Gauge(string name, string unit = "", GaugeMerge merge = GaugeMerge.Sum) => _gauges.GetOrAdd(name, n => new GaugeImpl(n));
    public override MetricHistogram Histogram(string name) => _histograms.GetOrAdd(name, n => new Hist(n));

    public long CounterValue(string name) => _counters.TryGetValue(name, out var c) ? c.Value : 0;
    public double? GaugeValue(string name) => _gauges.TryGetValue(name, out var g) && g.WasSet ? g.Value : null;
    public IReadOnlyCollection<long> Latencies(string name) => _histograms.TryGetValue(name, out var h) ? h.Ticks.ToArray() : [];

    private sealed class CounterImpl(string name) : MetricCounter
    {
        private long _value;
        public override string Name => name;
        public override long Value => Interlocked.Read(ref _value);
        public override void Add(long value = 1) => Interlocked.Add(ref _value, value);
    }

    private sealed class GaugeImpl(string name) : MetricGauge
    {
        private double _value;
        public bool WasSet { get; private set; }
        public override string Name => name;
        public override double Value => _value;
        public override void Set(double value)
        {
            _value = value;
            WasSet = true;
        }
    }

    private sealed class Hist(string name) : MetricHistogram
    {
        public ConcurrentQueue<long> Ticks { get; } = new();
        public override string Name => name;
        public override void RecordTicks(long elapsedTicks) => Ticks.Enqueue(elapsedTicks);
        public override void Record(TimeSpan latency) => Ticks.Enqueue(latency.Ticks);
    }
}
