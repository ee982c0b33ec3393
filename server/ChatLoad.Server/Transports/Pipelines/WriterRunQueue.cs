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
/// hold the first unsent line, send everything when it is W old. Wakes are gathered into slices at least every W/8
/// (each slice stamped with the time its gathering began, so its writers wait between 7W/8 and W, plus the
/// timer's lateness), and a pass runs the writers whose W is over, oldest first.</para>
/// <para>Smooth, not in convoys: a pass runs due writers for at most W/8 and then queues itself behind the receive
/// work that came meanwhile, and a slice is gathered every W/8 whatever the passes do. An earlier rule gathered a
/// slice only when a pass began and let the pass run every due writer at once; under load a pass of ~700 sends
/// took 12 ms, every writer was woken again during it and gathered into the next one slice, so the server sent in
/// convoys and a writer at the end of one ran up to W + 20 ms after its wake (slices 2–14 ms late at the median and
/// p99 at 198,000 deliveries a second, measured in the README's "The fan-out send path"). Held per writer, not per
/// pass: a rule before that started a pass of every woken writer at most every W.</para>
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

    /// <summary>Slices held at once: about nine are in a window (one gathered every W/8); the rest is headroom for a
    /// server that falls behind, whose newest slice then takes the wakes gathered (they run a little early).</summary>
    private const int SliceCapacity = 16;

    /// <summary>A pass looks at the clock after this many writers (each a send of a few microseconds).</summary>
    private const int WritersPerClockRead = 16;

    private readonly TimeProvider _time;
    private readonly long _windowTicks;   // W in TimeProvider timestamp units
    private readonly long _gatherTicks;   // W/8: the longest a slice gathers wakes, and a pass's budget
    private readonly ITimer? _windowTimer;
    private readonly int _busyPassWriters;
    private readonly IQueuedWriter?[] _sliceHead = new IQueuedWriter?[SliceCapacity]; // each oldest first
    private readonly IQueuedWriter?[] _sliceTail = new IQueuedWriter?[SliceCapacity];
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
        _gatherTicks = Math.Max(1, _windowTicks / 8);
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
            SchedulePass(_windowTimer is not null && IsBusy(now) ? _gatherTicks : 0);
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
        IQueuedWriter? newest = newestFirst;
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

        if (oldestFirst is not null)
        {
            if (busy)
                Hold(oldestFirst, newest!, stamp);
            else
                RunWriters(oldestFirst); // a quiet server: nothing to gather, so nothing waits
        }
        if (RunDueWriters(now, out now))
        {
            // Out of budget with writers due: the rest runs behind the receive work that came meanwhile.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }
        if (_slices > 0)
        {
            // Still this pass's (_passPending stays 1): the next look is when the oldest slice is due, or sooner
            // to gather the wakes that come meanwhile into a slice of their own.
            SchedulePass(Math.Min(_sliceStamp[_firstSlice] + _windowTicks - now, _gatherTicks));
            return;
        }
        Interlocked.Exchange(ref _passPending, 0);
        // Woken while this pass ran: their wake saw a pass pending and left it to us.
        if (Volatile.Read(ref _woken) is not null && Interlocked.CompareExchange(ref _passPending, 1, 0) == 0)
        {
            now = _time.GetTimestamp();
            SchedulePass(_windowTimer is not null && IsBusy(now) ? _gatherTicks : 0);
        }
    }

    // 0 = a work item now, behind the receive work waiting; otherwise the window's timer. Timers count whole
    // milliseconds (a shorter wait would fire at once and find nothing due), so a wait is rounded up to one.
    private void SchedulePass(long afterTicks)
    {
        if (afterTicks <= 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }
        double milliseconds = Math.Ceiling(afterTicks * 1000.0 / _time.TimestampFrequency);
        _windowTimer!.Change(TimeSpan.FromMilliseconds(Math.Max(1, milliseconds)), Timeout.InfiniteTimeSpan);
    }

    // The writers just gathered wait W from the stamp; a full ring gives them to the newest slice instead, whose
    // older stamp only lets them run a little early.
    private void Hold(IQueuedWriter oldestFirst, IQueuedWriter newest, long stamp)
    {
        if (_slices == SliceCapacity)
        {
            int newestSlice = (_firstSlice + _slices - 1) % SliceCapacity;
            _sliceTail[newestSlice]!.NextQueued = oldestFirst;
            _sliceTail[newestSlice] = newest;
            return;
        }
        int last = (_firstSlice + _slices) % SliceCapacity;
        _sliceHead[last] = oldestFirst;
        _sliceTail[last] = newest;
        _sliceStamp[last] = stamp;
        _slices++;
    }

    // Runs held writers whose window is over, oldest first, for at most W/8 of this pass; true = out of budget
    // with writers still due.
    private bool RunDueWriters(long start, out long now)
    {
        now = start;
        int sinceClockRead = 0;
        while (_slices > 0 && now - _sliceStamp[_firstSlice] >= _windowTicks)
        {
            IQueuedWriter writer = _sliceHead[_firstSlice]!;
            _sliceHead[_firstSlice] = writer.NextQueued;
            if (writer.NextQueued is null)
            {
                _sliceTail[_firstSlice] = null;
                _firstSlice = (_firstSlice + 1) % SliceCapacity;
                _slices--;
            }
            writer.NextQueued = null; // before it runs: once idle it may be woken (and linked) again at once
            writer.RunWriter();
            if (++sinceClockRead == WritersPerClockRead)
            {
                sinceClockRead = 0;
                now = _time.GetTimestamp();
                if (now - start >= _gatherTicks)
                    return _slices > 0 && now - _sliceStamp[_firstSlice] >= _windowTicks;
            }
        }
        if (sinceClockRead > 0)
            now = _time.GetTimestamp();
        return false;
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
