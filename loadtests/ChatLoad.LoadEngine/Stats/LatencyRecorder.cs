using HdrHistogram;

namespace ChatLoad.LoadEngine.Stats;

/// <summary>What one second (or any interval) of a latency recorder held.</summary>
internal readonly record struct IntervalLatency(long Count, long P50Micros, long P99Micros, long MaxMicros, string? HistogramBase64);

/// <summary>
/// Records latencies from any number of threads without locks or allocation (HdrHistogram's <see cref="Recorder"/>
/// over a concurrent histogram), and folds each interval into a running total when the sampler takes it.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly Recorder _recorder = LatencyHistograms.CreateRecorder();
    private readonly LongHistogram _total = LatencyHistograms.Create();
    private readonly object _sampleLock = new();
    private HistogramBase? _recycled;

    public string Name { get; }

    public LatencyRecorder(string name) => Name = name;

    /// <summary>Hot path: a few interlocked increments, no allocation.</summary>
    public void RecordMicros(long micros) => _recorder.RecordValue(LatencyHistograms.ClampMicros(micros));

    /// <summary>Takes everything recorded since the last call, adds it to the total and summarizes it.</summary>
    public IntervalLatency TakeInterval(bool encode)
    {
        lock (_sampleLock)
        {
            var interval = _recycled is null ? _recorder.GetIntervalHistogram() : _recorder.GetIntervalHistogram(_recycled);
            _recycled = interval;
            long count = interval.TotalCount;
            if (count == 0) return default;
            _total.Add(interval);
            return new IntervalLatency(count, interval.GetValueAtPercentile(50), interval.GetValueAtPercentile(99),
                interval.GetMaxValue(), encode ? LatencyHistograms.Encode(interval) : null);
        }
    }

    /// <summary>Discards what was recorded so far (the warm-up) from both the interval and the total.</summary>
    public void Reset()
    {
        lock (_sampleLock)
        {
            _recycled = _recycled is null ? _recorder.GetIntervalHistogram() : _recorder.GetIntervalHistogram(_recycled);
            _total.Reset();
        }
    }

    /// <summary>A copy of the total so far (call <see cref="TakeInterval"/> first to include the latest values).</summary>
    public LongHistogram SnapshotTotal()
    {
        lock (_sampleLock)
        {
            var copy = LatencyHistograms.Create();
            copy.Add(_total);
            return copy;
        }
    }
}
