using BenchmarkDotNet.Attributes;
using ChatLoad.LoadEngine.Stats;

namespace ChatLoad.LoadEngine.Benchmarks;

/// <summary>The hot path: recording one iteration's (or step's) result. Target: a few hundred ns, 0 bytes allocated.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RecordingBenchmarks
{
    private readonly Response _ok = Response.Ok(sizeBytes: 120, bytesSent: 60);
    private readonly Response _timeout = Response.Fail("timeout", "no reply in 5 s");
    private ScenarioStatsCollector _stats = null!;
    private long _latencyTicks;

    [GlobalSetup]
    public void Setup()
    {
        _stats = new ScenarioStatsCollector("bench", TimeProvider.System);
        _stats.StartMeasuring(TimeProvider.System.GetTimestamp());
        // 1.234 ms in timestamp ticks, a typical loopback round trip.
        _latencyTicks = TimeProvider.System.TimestampFrequency * 1234 / 1_000_000;
        // Status codes and step names are seen once before measuring, as in a real run after its first second.
        _stats.RecordIteration(_ok, _latencyTicks);
        _stats.RecordIteration(_timeout, _latencyTicks);
        _stats.RecordStep("send", _ok, _latencyTicks);
    }

    [Benchmark(Baseline = true)]
    public void RecordOkIteration() => _stats.RecordIteration(_ok, _latencyTicks);

    [Benchmark]
    public void RecordFailedIteration() => _stats.RecordIteration(_timeout, _latencyTicks);

    [Benchmark]
    public void RecordOkStep() => _stats.RecordStep("send", _ok, _latencyTicks);

    /// <summary>What the per-second sampler costs (once a second, so not on the hot path).</summary>
    [Benchmark]
    public object SampleSecond() => _stats.SampleSecond(TimeProvider.System.GetTimestamp());
}
