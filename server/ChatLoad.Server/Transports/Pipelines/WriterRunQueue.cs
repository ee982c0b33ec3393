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
/// <para>Coalescing across time (ServerOptions.SendCoalescingWindow): with a window W, a pass starts at least W after
/// the previous pass started. Adaptive, not a tick: when no pass ran in the last W (an idle or quiet server) the
/// pass is queued at once, so a lone line is not delayed, and so it is when the last pass ran fewer than
/// <see cref="BusyPassWriters"/> writers (replies, not a fan-out); under steady fan-out traffic passes come at most
/// every W, lines to one recipient within W share one write, and no line waits more than about W (plus the timer's
/// granularity).
/// The trade-off (server CPU against latency) is measured in the README's "Server performance".</para>
/// <para>Lock-free: a wake is a compare-and-swap onto a stack; the pass takes the whole stack with one exchange and
/// runs it oldest first. A writer is linked at most once at a time, since the connection wakes its writer only
/// when the writer is idle.</para>
/// </remarks>
internal sealed class WriterRunQueue : IThreadPoolWorkItem
{
    /// <summary>
    /// The window applies only after a pass that ran at least this many writers: a fan-out load. Passes of a few
    /// writers (PONGs and replies on a server holding many idle clients) are not worth a delay — there is little to
    /// gather — so they never wait, and the idle-hold PING latency stays what it was without a window.
    /// </summary>
    internal const int BusyPassWriters = 16;

    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ITimer? _windowTimer;
    private readonly int _busyPassWriters;
    private IQueuedWriter? _woken;     // a stack, newest first
    private int _passPending;          // 1 from the wake that queues a pass until that pass has run
    private long _lastPassStart;       // TimeProvider timestamp
    private int _lastPassWriters;      // how many writers the last pass ran

    /// <param name="window">ServerOptions.SendCoalescingWindow; zero = every pass at once.</param>
    /// <param name="time">The clock the window is measured on (its timer too).</param>
    /// <param name="busyPassWriters">Tests and benchmarks only: <see cref="BusyPassWriters"/> (0 = the window
    /// always applies, so a single writer can show it).</param>
    public WriterRunQueue(TimeSpan window, TimeProvider time, int busyPassWriters = BusyPassWriters)
    {
        _busyPassWriters = busyPassWriters;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        _time = time;
        _window = window;
        _lastPassStart = time.GetTimestamp() - (long)(window.TotalSeconds * time.TimestampFrequency) - 1;
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
            SchedulePass();
    }

    void IThreadPoolWorkItem.Execute() => RunPass();

    private void SchedulePass()
    {
        if (_windowTimer is not null)
        {
            TimeSpan sinceLast = _time.GetElapsedTime(_lastPassStart);
            if (sinceLast < _window && _lastPassWriters >= _busyPassWriters)
            {
                _windowTimer.Change(_window - sinceLast, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        // The global queue, behind the receive work already waiting: that is what lets lines gather.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void RunPass()
    {
        _lastPassStart = _time.GetTimestamp();
        Passes++;
        IQueuedWriter? newestFirst = Interlocked.Exchange(ref _woken, null);
        IQueuedWriter? oldestFirst = null;
        while (newestFirst is not null)
        {
            IQueuedWriter? next = newestFirst.NextQueued;
            newestFirst.NextQueued = oldestFirst;
            oldestFirst = newestFirst;
            newestFirst = next;
        }
        int writers = 0;
        while (oldestFirst is not null)
        {
            writers++;
            IQueuedWriter writer = oldestFirst;
            oldestFirst = writer.NextQueued;
            writer.NextQueued = null; // before it runs: once idle it may be woken (and linked) again at once
            writer.RunWriter();
        }
        _lastPassWriters = writers;
        Interlocked.Exchange(ref _passPending, 0);
        // Woken while this pass ran: their wake saw a pass pending and left it to us.
        if (Volatile.Read(ref _woken) is not null && Interlocked.CompareExchange(ref _passPending, 1, 0) == 0)
            SchedulePass();
    }
}
