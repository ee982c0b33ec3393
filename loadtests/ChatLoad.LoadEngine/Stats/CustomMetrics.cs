namespace ChatLoad.LoadEngine.Stats;

internal static class MetricNames
{
    public static string Valid(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("a metric needs a name", nameof(name)) : name;
}

/// <summary>The engine's counter: an interlocked long.</summary>
internal sealed class CounterMetric(string name, string unit) : MetricCounter
{
    private long _value;
    public override string Name => name;
    public string Unit => unit;
    public override void Add(long value = 1) => Interlocked.Add(ref _value, value);
    public override long Value => Volatile.Read(ref _value);
}

/// <summary>The engine's gauge: the last value set.</summary>
internal sealed class GaugeMetric(string name, string unit, GaugeMerge merge) : MetricGauge
{
    private double _value;
    public override string Name => name;
    public string Unit => unit;
    public GaugeMerge Merge => merge;
    public override void Set(double value) => Volatile.Write(ref _value, value);
    public override double Value => Volatile.Read(ref _value);
}

/// <summary>The engine's histogram: records into an HdrHistogram while its scenario's measured part runs; before it
/// is registered with a scenario (<see cref="Attach"/>) it records nothing.</summary>
internal sealed class HistogramMetric(string name) : MetricHistogram
{
    private volatile MeasurementGate? _gate;
    private double _microsPerTick;

    public LatencyRecorder Recorder { get; } = new(name);
    public override string Name => name;

    public void Attach(MeasurementGate gate, TimeProvider time)
    {
        _microsPerTick = 1_000_000.0 / time.TimestampFrequency;
        _gate = gate;
    }

    public override void RecordTicks(long elapsedTicks)
    {
        if (_gate is { IsOpen: true }) Recorder.RecordMicros((long)(elapsedTicks * _microsPerTick));
    }

    public override void Record(TimeSpan latency)
    {
        if (_gate is { IsOpen: true }) Recorder.RecordMicros(latency.Ticks / TimeSpan.TicksPerMicrosecond);
    }
}
