using System.Collections.Concurrent;
using HdrHistogram;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Stats;

/// <summary>
/// Everything measured for one scenario: whole-iteration stats, per-step stats, custom metrics, late and dropped
/// iterations, and the per-second time series. Recording is thread-safe and allocation-free; sampling runs once a
/// second on one thread.
/// </summary>
internal sealed class ScenarioStatsCollector
{
    /// <summary>Names under which the open model's late and dropped iterations appear in the time series.</summary>
    public const string LateSeriesName = "engine.late", DroppedSeriesName = "engine.dropped";

    private readonly ConcurrentDictionary<string, StepStatsCollector> _steps = new(StringComparer.Ordinal);
    private readonly List<StepStatsCollector> _stepOrder = new();
    private readonly List<TimeSeriesPoint> _series = new();
    private readonly object _sampleLock = new();
    private readonly TimeProvider _time;
    private readonly double _microsPerTick;
    private long _late, _dropped;
    private long _measureStart, _lastSampleTimestamp;
    private StepCounts _lastCounts;
    private double _lastIntervalSeconds;

    public string ScenarioName { get; }
    public StepStatsCollector Iterations { get; }
    public ScenarioMetricsCollector Metrics { get; }
    public MeasurementGate Gate { get; } = new();
    public long LateCount => Volatile.Read(ref _late);
    public long DroppedCount => Volatile.Read(ref _dropped);

    public ScenarioStatsCollector(string scenarioName, TimeProvider time)
    {
        ScenarioName = scenarioName;
        _time = time;
        _microsPerTick = 1_000_000.0 / time.TimestampFrequency;
        Iterations = new StepStatsCollector(scenarioName);
        Metrics = new ScenarioMetricsCollector(Gate, time);
    }

    public long TicksToMicros(long ticks) => (long)(ticks * _microsPerTick);

    /// <summary>Hot path: one iteration's result, latency in <see cref="TimeProvider"/> ticks.</summary>
    public void RecordIteration(in Response response, long latencyTicks)
    {
        if (Gate.IsOpen) Iterations.Record(response, TicksToMicros(latencyTicks));
    }

    /// <summary>Hot path once a step name has been seen: a dictionary lookup, then as for iterations.</summary>
    public void RecordStep(string stepName, in Response response, long latencyTicks)
    {
        if (!Gate.IsOpen) return;
        if (!_steps.TryGetValue(stepName, out var step)) step = AddStep(stepName);
        step.Record(response, TicksToMicros(latencyTicks));
    }

    private StepStatsCollector AddStep(string name)
    {
        lock (_stepOrder)
        {
            if (_steps.TryGetValue(name, out var existing)) return existing;
            var step = new StepStatsCollector(name);
            _stepOrder.Add(step);
            _steps[name] = step;
            return step;
        }
    }

    public void CountLate()
    {
        if (Gate.IsOpen) Interlocked.Increment(ref _late);
    }

    public void CountDropped()
    {
        if (Gate.IsOpen) Interlocked.Increment(ref _dropped);
    }

    /// <summary>The measured part begins: forget anything recorded before and start the time series clock.</summary>
    public void StartMeasuring(long timestamp)
    {
        lock (_sampleLock)
        {
            Iterations.Reset();
            foreach (var step in _steps.Values) step.Reset();
            Metrics.ResetHistograms();
            Interlocked.Exchange(ref _late, 0);
            Interlocked.Exchange(ref _dropped, 0);
            _measureStart = _lastSampleTimestamp = timestamp;
            _lastCounts = default;
            _series.Clear();
            Gate.Open();
        }
    }

    public void StopMeasuring() => Gate.Close();

    public TimeSpan MeasuredSoFar(long now) => _time.GetElapsedTime(_measureStart, now);

    /// <summary>Appends one time-series point covering the time since the previous one (normally one second).</summary>
    public TimeSeriesPoint SampleSecond(long now)
    {
        lock (_sampleLock)
        {
            var interval = Iterations.Latency.TakeInterval(encode: true);
            foreach (var step in _steps.Values) step.Latency.TakeInterval(encode: false);
            var counts = Iterations.ReadCounts();
            var seconds = _time.GetElapsedTime(_lastSampleTimestamp, now).TotalSeconds;
            var metrics = Metrics.SampleSecond();
            metrics[LateSeriesName] = LateCount;
            metrics[DroppedSeriesName] = DroppedCount;

            long ok = counts.Ok - _lastCounts.Ok, fail = counts.Fail - _lastCounts.Fail;
            var point = new TimeSeriesPoint
            {
                Second = Math.Round(_time.GetElapsedTime(_measureStart, now).TotalSeconds, 3),
                Rps = seconds > 0 ? (ok + fail) / seconds : 0,
                Ok = ok,
                Fail = fail,
                P50Ms = LatencyHistograms.ToMs(interval.P50Micros),
                P99Ms = LatencyHistograms.ToMs(interval.P99Micros),
                MaxMs = LatencyHistograms.ToMs(interval.MaxMicros),
                BytesIn = counts.BytesIn - _lastCounts.BytesIn,
                BytesOut = counts.BytesOut - _lastCounts.BytesOut,
                Metrics = metrics,
                LatencyHistogramBase64 = interval.HistogramBase64,
            };
            _lastCounts = counts;
            _lastSampleTimestamp = now;
            _lastIntervalSeconds = seconds;
            _series.Add(point);
            return point;
        }
    }

    /// <summary>A last point shorter than this is folded into the one before, so the series does not end with a
    /// sliver whose rate is meaningless (e.g. the 20 ms between the last whole second and the end of the drain).</summary>
    private static readonly TimeSpan ShortestFinalPoint = TimeSpan.FromMilliseconds(500);

    /// <summary>The last point, after the drain: a short remainder joins the previous second.</summary>
    public void SampleFinal(long now)
    {
        lock (_sampleLock)
        {
            var sinceLast = _time.GetElapsedTime(_lastSampleTimestamp, now);
            bool fold = _series.Count > 0 && sinceLast < ShortestFinalPoint;
            var previous = fold ? _series[^1] : null;
            double previousSeconds = _lastIntervalSeconds;
            var tail = SampleSecond(now);
            if (previous is null) return;

            _series.RemoveRange(_series.Count - 2, 2);
            var histogram = LatencyHistograms.Create();
            LatencyHistograms.AddDecoded(histogram, previous.LatencyHistogramBase64);
            LatencyHistograms.AddDecoded(histogram, tail.LatencyHistogramBase64);
            double seconds = previousSeconds + sinceLast.TotalSeconds;
            long ok = previous.Ok + tail.Ok, fail = previous.Fail + tail.Fail;
            _series.Add(previous with
            {
                Ok = ok,
                Fail = fail,
                Rps = seconds > 0 ? (ok + fail) / seconds : 0,
                P50Ms = histogram.TotalCount == 0 ? 0 : LatencyHistograms.ToMs(histogram.GetValueAtPercentile(50)),
                P99Ms = histogram.TotalCount == 0 ? 0 : LatencyHistograms.ToMs(histogram.GetValueAtPercentile(99)),
                MaxMs = Math.Max(previous.MaxMs, tail.MaxMs),
                BytesIn = previous.BytesIn + tail.BytesIn,
                BytesOut = previous.BytesOut + tail.BytesOut,
                Metrics = tail.Metrics,
                LatencyHistogramBase64 = histogram.TotalCount == 0 ? null : LatencyHistograms.Encode(histogram),
            });
        }
    }

    public IReadOnlyList<TimeSeriesPoint> TimeSeries()
    {
        lock (_sampleLock) return _series.ToList();
    }

    public ScenarioResult BuildResult(TimeSpan measured, IReadOnlyList<string> loadSimulations, IReadOnlyList<string> notes)
    {
        List<StepStatsCollector> steps;
        lock (_stepOrder) steps = _stepOrder.ToList();
        var series = TimeSeries();
        return new ScenarioResult
        {
            Name = ScenarioName,
            Duration = measured,
            LoadSimulations = loadSimulations,
            Iterations = Iterations.ToStepStats(measured),
            Steps = steps.Select(s => s.ToStepStats(measured)).ToList(),
            Counters = Metrics.CounterResults(),
            Gauges = Metrics.GaugeResults(series),
            Histograms = Metrics.HistogramResults(),
            TimeSeries = series,
            LateIterations = LateCount,
            DroppedIterations = DroppedCount,
            Notes = notes,
        };
    }
}
