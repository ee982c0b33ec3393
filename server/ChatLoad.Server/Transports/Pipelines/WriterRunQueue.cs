namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>A writer the <see cref="WriterRunQueue"/> can hold: an intrusive link, so queueing allocates nothing.</summary>
internal interface IQueuedWriter
{
    /// <summary>The next writer in the run queue's list; only the run queue reads or writes it.</summary>
    IQueuedWriter? NextQueued { get; set; }

    /// <summary>Runs the writer until its queue is empty (or its send has to wait for the peer).</summary>
    void RunWriter();
}

/// <summary>
/// The async model's woken writers, run in passes by one thread-pool work item instead of one work item per
/// recipient. A fan-out to 99 members used to queue 99 work items, each a thread request that woke a spinning
/// worker; now the first wake of a pass queues the one item and the rest only link themselves in. The pass runs
/// behind the receive work already queued, so it self-clocks: the busier the server, the more lines each recipient
/// has queued by the time its writer runs, and they leave in one vectored write. The writer is never the sender:
/// the pass is its own work item (ergo's wakeWriter hand-off), so no sender makes another client's syscall.
/// </summary>
/// <remarks>
/// <para>Coalescing across time (ServerOptions.SendCoalescingWindow W): under fan-out load a woken writer runs W
/// after it was woken — after the first line queued since its last write — so the lines it is sent meanwhile leave
/// with that one in one write, and no line waits much more than W. Nagle's rule with a clock instead of an ACK:
/// hold the first unsent line, send everything when it is W old. The wakes are gathered in slices of W/4 (each
/// slice stamped with the time it began, so a slice's writers wait at most W and at least 3W/4), and a tick every
/// W/4 runs the slices that are due. Held per writer, not per pass: an earlier rule started a pass of every woken
/// writer at most every W, so the last writers of a long pass (1,000 sends take about 5–7 ms) waited W plus the
/// pass, and a writer's lines gathered only for the W between pass starts; measured against it in the README's
/// "The fan-out send path".</para>
/// <para>Adaptive, not a tick for everyone: when fewer than <see cref="BusyPassWriters"/> writers were woken within
/// the last W or so (a quiet server, PONGs and replies on a server holding idle clients), a wake runs at once, so a
/// lone line is not delayed. Zero W: every pass at once.</para>
/// <para>Lock-free: a wake is a compare-and-swap onto a stack; the pass takes the whole stack with one exchange and
/// runs it oldest first. A writer is linked at most once at a time, since the connection wakes its writer only
/// when the writer is idle. Only one pass is scheduled or running at a time (<c>_passPending</c>), and it alone
/// touches the slices and the counts.</para>
/// </remarks>
internal sealed class WriterRunQueue : IThreadPoolWorkItem
{
    /// <summary>
    /// The window applies only when at least this many writers were woken within the last window or so: a fan-out
    /// load. A few writers (PONGs and replies on a server holding many idle clients) are not worth a delay — there
    /// is little to gather — so they never wait, and the idle-hold PING latency stays what it was without a window.
    /// </summary>
    internal const int BusyPassWriters = 16;

    /// <summary>Slices of wakes held at once: W/4 each, so four are due within a window; the rest is headroom for
    /// a late timer (a full ring runs its oldest slice at once, which is overdue by then anyway).</summary>
    private const int SliceCapacity = 8;

    private readonly TimeProvider _time;
    private readonly long _windowTicks;   // W in TimeProvider timestamp units
    private readonly TimeSpan _tick;      // W/4: how often held slices are looked at
    private readonly ITimer? _windowTimer;
    private readonly int _busyPassWriters;
    private readonly IQueuedWriter?[] _sliceHead = new IQueuedWriter?[SliceCapacity]; // each oldest first
    private readonly long[] _sliceStamp = new long[SliceCapacity];
    private int _firstSlice;
    private int _slices;
    private IQueuedWriter? _woken;     // a stack, newest first
    private int _passPending;          // 1 from the wake that schedules a pass until no pass is needed
    private long _collectedSince;      // every writer now on the stack was woken after this timestamp
    private long _epochStart;          // the current span of W over which woken writers are counted
    private int _epochWriters;
    private int _previousEpochWriters;

    /// <param name="window">ServerOptions.SendCoalescingWindow; zero = every pass at once.</param>
    /// <param name="time">The clock the window is measured on (its timer too).</param>
    /// <param name="busyPassWriters">Tests and benchmarks only: <see cref="BusyPassWriters"/> (0 = the window
    /// applies after any writer ran within it, so a single writer can show it).</param>
    public WriterRunQueue(TimeSpan window, TimeProvider time, int busyPassWriters = BusyPassWriters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        _busyPassWriters = Math.Max(1, busyPassWriters);
        _time = time;
        _windowTicks = (long)(window.TotalSeconds * time.TimestampFrequency);
        _tick = window / 4;
        _epochStart = time.GetTimestamp() - 2 * _windowTicks - 1;
        if (window > TimeSpan.Zero)
            _windowTimer = time.CreateTimer(static state => ((WriterRunQueue)state!).RunPass(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Passes run so far (for tests and benchmarks).</summary>
    internal long Passes { get; private set; }

    /// <summary>Links <paramref name="writer"/> in and makes sure a pass will run it. Never runs it on this thread.</summary>
    public void Wake(IQueuedWriter writer)
    {
        IQueuedWriter? head;
        do
        {
            head = Volatile.Read(ref _woken);
            writer.NextQueued = head;
        }
        while (!ReferenceEquals(Interlocked.CompareExchange(ref _woken, writer, head), head));
        // A non-empty stack already has a pass coming (or running, which looks again when it ends).
        if (head is null && Interlocked.CompareExchange(ref _passPending, 1, 0) == 0)
        {
            long now = _time.GetTimestamp();
            _collectedSince = now;
            if (_windowTimer is not null && IsBusy(now))
                _windowTimer.Change(_tick, Timeout.InfiniteTimeSpan);
            else
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false); // behind the receive work waiting
        }
    }

    void IThreadPoolWorkItem.Execute() => RunPass();

    private void RunPass()
    {
        long now = _time.GetTimestamp();
        Passes++;
        bool busy = _windowTimer is not null && IsBusy(now);
        IQueuedWriter? newestFirst = Interlocked.Exchange(ref _woken, null);
        long stamp = _collectedSince;
        _collectedSince = now;
        IQueuedWriter? oldestFirst = null;
        int woken = 0;
        while (newestFirst is not null)
        {
            IQueuedWriter? next = newestFirst.NextQueued;
            newestFirst.NextQueued = oldestFirst;
            oldestFirst = newestFirst;
            newestFirst = next;
            woken++;
        }
        CountWoken(now, woken);

        if (oldestFirst is not null && busy)
        {
            if (_slices == SliceCapacity)
                RunOldestSlice(); // the timer ran late: that slice is overdue
            int last = (_firstSlice + _slices) % SliceCapacity;
            _sliceHead[last] = oldestFirst;
            _sliceStamp[last] = stamp;
            _slices++;
            oldestFirst = null;
        }
        while (_slices > 0 && now - _sliceStamp[_firstSlice] >= _windowTicks)
            RunOldestSlice();
        RunWriters(oldestFirst);

        if (_slices > 0)
        {
            _windowTimer!.Change(_tick, Timeout.InfiniteTimeSpan); // still this pass's: _passPending stays 1
            return;
        }
        Interlocked.Exchange(ref _passPending, 0);
        // Woken while this pass ran: their wake saw a pass pending and left it to us.
        if (Volatile.Read(ref _woken) is not null && Interlocked.CompareExchange(ref _passPending, 1, 0) == 0)
        {
            if (_windowTimer is not null && IsBusy(_time.GetTimestamp()))
                _windowTimer.Change(_tick, Timeout.InfiniteTimeSpan);
            else
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private void RunOldestSlice()
    {
        IQueuedWriter? writers = _sliceHead[_firstSlice];
        _sliceHead[_firstSlice] = null;
        _firstSlice = (_firstSlice + 1) % SliceCapacity;
        _slices--;
        RunWriters(writers);
    }

    private static void RunWriters(IQueuedWriter? oldestFirst)
    {
        while (oldestFirst is not null)
        {
            IQueuedWriter writer = oldestFirst;
            oldestFirst = writer.NextQueued;
            writer.NextQueued = null; // before it runs: once idle it may be woken (and linked) again at once
            writer.RunWriter();
        }
    }

    // Writers woken are counted over spans of W: the current span and the one before, so "busy" looks back
    // between one and two windows.
    private void CountWoken(long now, int woken)
    {
        long since = now - _epochStart;
        if (since >= _windowTicks)
        {
            _previousEpochWriters = since >= 2 * _windowTicks ? 0 : _epochWriters;
            _epochWriters = 0;
            _epochStart = now;
        }
        _epochWriters += woken;
    }

    // Racy when read by a waker (the pass may be counting): an estimate either way, and a wrong guess only runs
    // one pass at once or one slice late by W.
    private bool IsBusy(long now)
    {
        long since = now - _epochStart;
        if (since >= 2 * _windowTicks)
            return false;
        int recent = since >= _windowTicks ? _epochWriters : _epochWriters + _previousEpochWriters;
        return recent >= _busyPassWriters;
    }
}
