using BenchmarkDotNet.Attributes;
using ChatLoad.Server.Transports.Pipelines;

namespace ChatLoad.Server.Benchmarks;

/// <summary>
/// The async model's writer wake-up, per recipient of a fan-out to a room of 100: 99 wakes (each a compare-and-swap
/// onto the run queue) and the one pass that runs them, on this thread. The pass runs from the coalescing window's
/// timer, fired by hand here with the clock moved by the window (every wake is held, then due), so the figure is the run
/// queue's own cost — no thread pool, no sockets (the writers do nothing). It replaced one thread-pool work item
/// per recipient.
/// </summary>
[MemoryDiagnoser]
public class WriterRunQueueBenchmarks
{
    private const int Recipients = HotPathBenchmarks.RoomSize - 1;

    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1);

    private readonly HandFiredTime _time = new();
    private readonly NoopWriter[] _writers = Enumerable.Range(0, Recipients).Select(_ => new NoopWriter()).ToArray();
    private WriterRunQueue _queue = null!;

    [GlobalSetup]
    public void Setup()
    {
        _queue = new WriterRunQueue(Window, _time, busyPassWriters: 0);
        _queue.Wake(_writers[0]); // the first pass after a quiet spell goes to the thread pool at once
        SpinWait.SpinUntil(() => _queue.Passes == 1, TimeSpan.FromSeconds(10));
    }

    [Benchmark(Description = "wake a room's 99 writers and run their pass (per recipient)", OperationsPerInvoke = Recipients)]
    public long WakeAndRunPass()
    {
        foreach (NoopWriter writer in _writers)
            _queue.Wake(writer);
        _time.FireTimer(Window);
        return _queue.Passes;
    }

    private sealed class NoopWriter : IQueuedWriter
    {
        public IQueuedWriter? NextQueued { get; set; }
        public void RunWriter() { }
    }

    /// <summary>A clock moved by hand and one timer fired on demand.</summary>
    private sealed class HandFiredTime : TimeProvider
    {
        private TimerCallback? _callback;
        private object? _state;
        private long _now;

        public override long GetTimestamp() => _now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _callback = callback;
            _state = state;
            return new HandFiredTimer();
        }

        public void FireTimer(TimeSpan advance)
        {
            _now += (long)(advance.TotalSeconds * TimestampFrequency);
            _callback!(_state);
        }

        private sealed class HandFiredTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
