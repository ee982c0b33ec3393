using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Stats;

/// <summary>Running totals of ok/fail counts and bytes, for time-series deltas.</summary>
internal readonly record struct StepCounts(long Ok, long Fail, long BytesIn, long BytesOut);

/// <summary>Collects one step's (or the whole iteration's) results: counts, bytes, statuses and ok latency.</summary>
internal sealed class StepStatsCollector
{
    private long _ok, _fail, _bytesIn, _bytesOut;

    public string Name { get; }
    public LatencyRecorder Latency { get; }
    public StatusCounters Statuses { get; } = new();

    public StepStatsCollector(string name)
    {
        Name = name;
        Latency = new LatencyRecorder(name);
    }

    /// <summary>Hot path. Failures are counted, not timed: a fast "connection refused" must not flatter latency.</summary>
    public void Record(in Response response, long latencyMicros)
    {
        if (response.IsError) Interlocked.Increment(ref _fail);
        else
        {
            Interlocked.Increment(ref _ok);
            Latency.RecordMicros(latencyMicros);
        }
        if (response.SizeBytes != 0) Interlocked.Add(ref _bytesIn, response.SizeBytes);
        if (response.BytesSent != 0) Interlocked.Add(ref _bytesOut, response.BytesSent);
        Statuses.Add(response);
    }

    public StepCounts ReadCounts() =>
        new(Volatile.Read(ref _ok), Volatile.Read(ref _fail), Volatile.Read(ref _bytesIn), Volatile.Read(ref _bytesOut));

    /// <summary>Forgets everything (used when the warm-up ends).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _fail, 0);
        Interlocked.Exchange(ref _bytesIn, 0);
        Interlocked.Exchange(ref _bytesOut, 0);
        Latency.Reset();
    }

    public StepStats ToStepStats(TimeSpan measured)
    {
        Latency.TakeInterval(encode: false);
        var counts = ReadCounts();
        var seconds = measured.TotalSeconds;
        return new StepStats
        {
            Name = Name,
            OkCount = counts.Ok,
            FailCount = counts.Fail,
            Rps = seconds > 0 ? (counts.Ok + counts.Fail) / seconds : 0,
            BytesIn = counts.BytesIn,
            BytesOut = counts.BytesOut,
            Latency = LatencyHistograms.Summarize(Name, Latency.SnapshotTotal()),
            Statuses = Statuses.Snapshot(),
        };
    }
}
