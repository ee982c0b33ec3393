using System.Net.Sockets;

namespace ChatLoad.Server.Transports.Threads;

internal sealed partial class BlockingConnection
{
    // Set on a thread that has woken some writer since it last gave way (see YieldToWokenWriters).
    [ThreadStatic]
    private static bool t_wokeWriters;

    private readonly object _wakeGate = new();
    private bool _wakeRequested; // guarded by _wakeGate; survives a wake that comes before the thread waits
    // The writer thread's own, for the coalescing window (TimeProvider timestamps and ticks).
    private const int MaxRememberedGapWindows = 4;
    private long _lastWriteAt;   // when the last write ended (0: none yet)
    private long _windowFrom;    // when the last write or window ended: the next window counts from here
    private long _meanLineGap;   // smoothed time between this client's lines, measured per write

    /// <summary>Called by whoever queued into an idle queue: a signal to this client's writer thread, no I/O.</summary>
    protected override void WakeWriter()
    {
        lock (_wakeGate)
        {
            _wakeRequested = true;
            Monitor.Pulse(_wakeGate);
        }
        t_wokeWriters = true;
    }

    /// <summary>
    /// Called by a read thread after handling one read's lines: if they woke writers, give way to them now
    /// (sched_yield). A client whose input never runs dry would otherwise keep its core while its recipients'
    /// queues grow past their SendQ before their writers get to run — on a busy machine, long enough to drop
    /// healthy readers.
    /// </summary>
    private static void YieldToWokenWriters()
    {
        if (!t_wokeWriters)
            return;
        t_wokeWriters = false;
        Thread.Yield();
    }

    /// <summary>
    /// The body of the writer thread: sleeps until woken, then drains the queue with blocking vectored sends. A
    /// send blocks for as long as this client does not read — this thread only, which is the point of it; the
    /// close deadline (or the read thread, at the end) resets the socket to free it.
    /// </summary>
    private void RunWriterThread()
    {
        var batch = new List<ArraySegment<byte>>(MaxSegmentsPerWrite);
        try
        {
            do
            {
                WaitForWake();
            }
            while (Drain(batch));
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(Context.Logger, Id, ex);
            WriteFailed("internal error");
        }
    }

    private void WaitForWake()
    {
        lock (_wakeGate)
        {
            while (!_wakeRequested)
                Monitor.Wait(_wakeGate);
            _wakeRequested = false;
        }
    }

    // The window's wait: until woken (a full write queued, or the connection closing) or the time is up.
    private void WaitForWake(TimeSpan timeout)
    {
        long start = Context.Time.GetTimestamp();
        lock (_wakeGate)
        {
            while (!_wakeRequested)
            {
                TimeSpan left = timeout - Context.Time.GetElapsedTime(start);
                if (left <= TimeSpan.Zero || !Monitor.Wait(_wakeGate, left))
                    return;
            }
            _wakeRequested = false;
        }
    }

    // Writes until the queue is empty (true: wait for the next wake) or the writer's work is over (false).
    private bool Drain(List<ArraySegment<byte>> batch)
    {
        while (true)
        {
            switch (TakeBatch(batch, CoalescedWriteBytes, out long bytes))
            {
                case WriterStep.Idle:
                    return true;
                case WriterStep.Stop:
                    return false;
                case WriterStep.SendFin:
                    ShutdownSend();
                    FinSent();
                    return false;
            }

            int segments = batch.Count;
            SocketError error = _tls is null ? SendAll(batch) : _tls.Write(batch, bytes);
            batch.Clear();
            if (error != SocketError.Success)
            {
                WriteFailed(error.ToString());
                return false;
            }
            BatchWritten(bytes);
            WaitOutWindowAfterWrite(segments);
        }
    }

    // Send coalescing (ServerOptions.SendCoalescingWindow), the threads model's version of the async model's
    // window: when this client's lines have been coming at least once a window on average (a smoothed gap per line,
    // measured at each write) and this write came less than the window after the last, the writer waits out the rest
    // of the window before taking the next batch. It stays the active writer meanwhile, so senders only queue — no
    // wake, no context switch per delivery — and what they queue leaves in one write. A lone line, a client's own
    // request and reply, and the first writes after a quiet spell never wait (nor does anything when the window is
    // 0). The wait ends early when a full write is queued (BeginWindowWait: a quarter of the SendQ or 64 segments)
    // and when the connection closes, so waiting never costs a reader that keeps up its connection and never delays
    // an ERROR line. Measured against two simpler rules (README, "The threads model's writer window"): waiting
    // after any write within the window of the last waited for lines that seldom came (rooms of 10), and waiting
    // only after a write of several lines engaged once the writer already lagged, too late at 198,000/s.
    private void WaitOutWindowAfterWrite(int segments)
    {
        TimeSpan window = Context.SendCoalescingWindow;
        if (window <= TimeSpan.Zero)
            return;
        long now = Context.Time.GetTimestamp();
        long windowTicks = (long)(window.TotalSeconds * Context.Time.TimestampFrequency);
        // A gap per line of at most 4 windows, so one quiet spell is forgotten after a few busy writes.
        long gapPerLine = Math.Min(MaxRememberedGapWindows * windowTicks, (now - _lastWriteAt) / Math.Max(1, segments));
        _meanLineGap = _lastWriteAt == 0 ? MaxRememberedGapWindows * windowTicks : (3 * _meanLineGap + gapPerLine) / 4;
        _lastWriteAt = now;
        TimeSpan sinceLast = Context.Time.GetElapsedTime(_windowFrom, now);
        _windowFrom = now;
        if (_meanLineGap >= windowTicks || sinceLast >= window || !BeginWindowWait())
            return;
        WaitForWake(window - sinceLast);
        EndWindowWait();
        lock (_wakeGate)
            _wakeRequested = false; // a wake that ended the window late: this thread is about to look at the queue anyway
        _windowFrom = Context.Time.GetTimestamp();
    }

    // A blocking send on a stream socket returns once every byte is written; loop anyway in case the kernel
    // takes only part of it (a signal).
    private SocketError SendAll(List<ArraySegment<byte>> batch)
    {
        try
        {
            while (batch.Count > 0)
            {
                // One segment (a recipient's usual share of a fan-out) as a plain send: the list overload pins
                // and allocates per call, this one does neither.
                int sent = batch.Count == 1
                    ? _socket.Send(batch[0].AsSpan(), SocketFlags.None, out SocketError error)
                    : _socket.Send(batch, SocketFlags.None, out error);
                if (error != SocketError.Success)
                    return error;
                if (sent <= 0)
                    return SocketError.ConnectionAborted;
                PartialWrite.DropWritten(batch, sent);
            }
            return SocketError.Success;
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
    }

    // Everything, the ERROR line included, is written: FIN. The read thread goes on reading until the peer
    // closes too (or the close deadline resets the connection).
    private void ShutdownSend()
    {
        _tls?.SendCloseNotify();
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }
}
