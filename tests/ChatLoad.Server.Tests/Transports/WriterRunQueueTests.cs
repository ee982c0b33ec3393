using ChatLoad.Server.Transports.Pipelines;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// The async model's writer run queue: woken writers run in passes on the thread pool, never on the thread that
/// woke them; with a coalescing window a woken writer waits the window from its own wake only when writers ran
/// recently (a lone line after a quiet spell goes at once); waking and running a pass allocate nothing.
/// </summary>
public sealed class WriterRunQueueTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(10);

    [Fact]
    public void Woken_writers_each_run_once_and_never_on_the_waking_thread()
    {
        var queue = new WriterRunQueue(TimeSpan.Zero, TimeProvider.System);
        var writers = Enumerable.Range(0, 99).Select(_ => new CountingWriter()).ToArray();
        int me = Environment.CurrentManagedThreadId;

        foreach (CountingWriter writer in writers)
            queue.Wake(writer);

        foreach (CountingWriter writer in writers)
        {
            Assert.True(writer.Ran.Wait(WaitBound), "a woken writer did not run");
            Assert.Equal(1, writer.Runs);
            Assert.NotEqual(me, writer.RanOnThread);
        }
        Assert.InRange(queue.Passes, 1, writers.Length);
    }

    [Fact]
    public void A_writer_woken_again_after_its_pass_runs_again()
    {
        var queue = new WriterRunQueue(TimeSpan.Zero, TimeProvider.System);
        var writer = new CountingWriter();
        for (int round = 1; round <= 3; round++)
        {
            writer.Ran.Reset();
            queue.Wake(writer);
            Assert.True(writer.Ran.Wait(WaitBound), "round " + round + ": the writer did not run");
            Assert.Equal(round, writer.Runs);
        }
    }

    [Fact]
    public void With_a_window_a_quiet_queue_runs_at_once_and_a_busy_one_waits_for_the_window()
    {
        var time = new FakeTimeProvider();
        var queue = new WriterRunQueue(Window, time, busyPassWriters: 0);
        var first = new CountingWriter();

        queue.Wake(first); // nothing ran within the window: at once, without the clock moving
        Assert.True(first.Ran.Wait(WaitBound), "the first writer after a quiet spell waited");

        var second = new CountingWriter();
        time.Advance(Window / 5);
        queue.Wake(second); // a writer ran 1 ms ago: this one waits the window from its own wake
        Assert.False(second.Ran.Wait(TimeSpan.FromMilliseconds(200)), "a writer woken within the window ran before it");
        AdvanceInSteps(time, Window - TimeSpan.FromTicks(1)); // the held writers are looked at every W/4
        Assert.False(second.Ran.IsSet, "the writer ran before its window was over");
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(second.Ran.Wait(WaitBound), "the writer did not run when its window was over");

        var third = new CountingWriter();
        time.Advance(Window * 3); // quiet again
        queue.Wake(third);
        Assert.True(third.Ran.Wait(WaitBound), "a writer woken after a quiet spell waited");
    }

    [Fact]
    public void After_a_pass_of_few_writers_the_next_one_does_not_wait_for_the_window()
    {
        // Replies on a server of idle clients (a PONG here and there) are not a fan-out: nothing to gather.
        var time = new FakeTimeProvider();
        var queue = new WriterRunQueue(Window, time);
        var first = new CountingWriter();
        queue.Wake(first);
        Assert.True(first.Ran.Wait(WaitBound), "the first writer waited");

        var second = new CountingWriter();
        time.Advance(Window / 5);
        queue.Wake(second); // within the window, but the last pass ran one writer
        Assert.True(second.Ran.Wait(WaitBound), "a writer after a small pass waited for the window");
        Assert.True(WriterRunQueue.BusyPassWriters > 1);
    }

    [Fact]
    public void Waking_and_running_passes_allocates_nothing_in_steady_state()
    {
        // After the first pass every wake waits for the window's timer, which this test fires by hand, moving the
        // clock by the window: passes run on this thread, where the allocation counter sees them.
        var time = new HandFiredTime();
        var queue = new WriterRunQueue(Window, time, busyPassWriters: 0);
        var writers = Enumerable.Range(0, 99).Select(_ => new CountingWriter(signal: false)).ToArray();
        queue.Wake(writers[0]);
        Assert.True(SpinWait.SpinUntil(() => writers[0].Runs == 1, WaitBound), "the first pass did not run");
        for (int i = 0; i < 10; i++)
            OneFanOut(queue, time, writers); // warm-up: JIT

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            OneFanOut(queue, time, writers);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.All(writers, writer => Assert.Equal(writer == writers[0] ? 111 : 110, writer.Runs));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_pass_runs_due_writers_for_at_most_an_eighth_of_the_window_and_the_rest_later()
    {
        // No convoys: 100 held writers whose sends take 0.1 ms each are due together; a pass that ran them all
        // would hold the thread for 10 ms (receive work and newer wakes behind it). Each pass stops after about
        // W/8 (1 ms, the clock read every 16 writers) and queues the rest behind whatever came meanwhile.
        var window = TimeSpan.FromMilliseconds(8);
        var time = new HandFiredTime();
        var queue = new WriterRunQueue(window, time, busyPassWriters: 0);
        var first = new CountingWriter();
        queue.Wake(first); // a quiet queue: at once
        Assert.True(first.Ran.Wait(WaitBound), "the first writer waited");
        var writers = Enumerable.Range(0, 100).Select(_ => new SlowWriter(time, TimeSpan.FromMilliseconds(0.1), queue)).ToArray();
        foreach (SlowWriter writer in writers)
            queue.Wake(writer); // held: a writer ran within the window

        time.FireTimer(window); // the window's look: every one of them is due now
        Assert.True(SpinWait.SpinUntil(() => writers.All(writer => writer.RanInPass != 0), WaitBound), "held writers did not all run");
        int passes = writers.Select(writer => writer.RanInPass).Distinct().Count();
        Assert.True(passes >= 4, $"100 writers of 0.1 ms ran in {passes} passes (at most about 16 per pass expected)");
        Assert.All(writers.GroupBy(writer => writer.RanInPass), pass => Assert.InRange(pass.Count(), 1, 16));
    }

    // FakeTimeProvider fires a timer re-armed in its own callback only on a later Advance: move the clock the
    // way a real one moves, a little at a time.
    private static void AdvanceInSteps(FakeTimeProvider time, TimeSpan by)
    {
        TimeSpan step = Window / 20;
        for (; by > step; by -= step)
            time.Advance(step);
        time.Advance(by);
    }

    private static void OneFanOut(WriterRunQueue queue, HandFiredTime time, CountingWriter[] writers)
    {
        foreach (CountingWriter writer in writers)
            queue.Wake(writer);
        time.FireTimer(Window);
    }

    /// <summary>A clock moved by hand and one timer fired on demand (FakeTimeProvider's Advance allocates).</summary>
    private sealed class HandFiredTime : TimeProvider
    {
        private TimerCallback? _callback;
        private object? _state;
        private long _now;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _callback = callback;
            _state = state;
            return new HandFiredTimer();
        }

        public void FireTimer(TimeSpan advance)
        {
            Advance(advance);
            _callback!(_state);
        }

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, (long)(by.TotalSeconds * TimestampFrequency));

        private sealed class HandFiredTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class CountingWriter(bool signal = true) : IQueuedWriter
    {
        private int _runs;

        public ManualResetEventSlim Ran { get; } = new();
        public int Runs => Volatile.Read(ref _runs);
        public int RanOnThread { get; private set; }

        public IQueuedWriter? NextQueued { get; set; }

        public void RunWriter()
        {
            RanOnThread = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref _runs);
            if (signal)
                Ran.Set();
        }
    }

    /// <summary>A writer whose send takes <c>cost</c> on the hand-moved clock; it notes which pass ran it.</summary>
    private sealed class SlowWriter(HandFiredTime time, TimeSpan cost, WriterRunQueue queue) : IQueuedWriter
    {
        private long _ranInPass;

        public long RanInPass => Interlocked.Read(ref _ranInPass);

        public IQueuedWriter? NextQueued { get; set; }

        public void RunWriter()
        {
            Interlocked.Exchange(ref _ranInPass, queue.Passes);
            time.Advance(cost);
        }
    }
}
