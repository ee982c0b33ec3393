namespace ChatLoad.Server.Transports;

internal abstract partial class TransportConnection
{
    /// <summary>Segments gathered into one vectored write: enough for a burst of broadcast lines per syscall.</summary>
    internal const int MaxSegmentsPerWrite = 64;

    /// <summary>Bytes gathered into one write, so a single write never holds a large share of the SendQ.</summary>
    internal const int MaxBytesPerWrite = 64 * 1024;

    private static readonly TimerCallback s_closeDeadlinePassed = static state => ((TransportConnection)state!).OnCloseDeadline();

    // The lock of everything outbound (and of the session's end, TransportConnection.cs) is this connection's own
    // monitor, `lock (this)`: no lock object per connection, and while uncontended it lives in the object header,
    // beside the method-table pointer that the interface call to Send reads anyway. Safe because the type is
    // internal and nothing outside it locks a connection (the core sees only IClientConnection and never locks it;
    // the registry and the writer run queue have locks of their own). No other lock is taken while it is held except
    // the input pause's (always in that order).
    // The queue is a struct inside the connection (OutboundQueue's remarks): never readonly, never copied.
    private OutboundQueue _queue;
    private volatile OutboundStage _stage;
    private bool _writerActive;       // a writer is running or has been woken; the next Send need not wake it
    private bool _writerInWindow;     // the active writer waits out its coalescing window (BeginWindowWait)
    private ConnectionEnd _end;
    private bool _finished;           // Finish ran: the end was reported
    private string? _closeReason;     // set once, by the first Close (or SendQ overflow, or a failure)
    private long _unsentAtEnd;
    private ITimer? _closeDeadline;
    private long _resumeInputAtBacklog = -1; // the input pause waiting for the backlog to fall this low; -1 = none

    /// <summary>True once a close was asked for (or the connection ended): input is no longer handed to the core.</summary>
    protected bool IsClosing => _stage != OutboundStage.Open;

    /// <inheritdoc/>
    public long QueuedBytes
    {
        get
        {
            lock (this)
                return _queue.Bytes;
        }
    }

    /// <inheritdoc/>
    public void Send(ReadOnlyMemory<byte> lines)
    {
        if (lines.IsEmpty)
            return;
        bool wake;
        long overflowBacklog = -1;
        lock (this)
        {
            if (_stage != OutboundStage.Open)
                return;
            if (!_queue.TryEnqueue(lines, Context.SendQueueBytes))
            {
                // This client cannot keep up: drop what it has not taken and leave it only the ERROR line.
                overflowBacklog = _queue.Bytes;
                BeginCloseLocked(ServerReplies.SendQueueExceededReason, dropQueued: true);
            }
            wake = ActivateWriterLocked();
        }
        if (overflowBacklog >= 0)
        {
            Context.Metrics.SlowConsumerDisconnected();
            TransportLog.SendQueueExceeded(Context.Logger, Id, overflowBacklog);
            _inputPause?.Cancel();
        }
        if (wake)
            WakeWriter();
    }

    /// <inheritdoc/>
    public void Close(string reason)
    {
        bool wake;
        lock (this)
        {
            if (_stage != OutboundStage.Open)
                return;
            BeginCloseLocked(reason, dropQueued: false);
            wake = ActivateWriterLocked();
        }
        _inputPause?.Cancel();
        if (wake)
            WakeWriter();
    }

    /// <summary>What the writer does next, from <see cref="TakeBatch(List{ArraySegment{byte}}, int, out long)"/>.</summary>
    protected enum WriterStep
    {
        /// <summary>Write the batch, then report <see cref="BatchWritten"/> or <see cref="WriteFailed"/>.</summary>
        Write,

        /// <summary>Nothing queued: the writer is idle until the next <see cref="WakeWriter"/>.</summary>
        Idle,

        /// <summary>
        /// Everything, the ERROR line included, is written: send FIN, then <see cref="FinSent"/>; the writer's work
        /// is over.
        /// </summary>
        SendFin,

        /// <summary>The connection has ended: the writer's work is over.</summary>
        Stop,
    }

    /// <summary>
    /// The writer's one question: fills <paramref name="batch"/> (empty on entry) with the next segments to write
    /// (<paramref name="bytes"/> in all) or says why there is nothing to write.
    /// </summary>
    protected WriterStep TakeBatch(List<ArraySegment<byte>> batch, out long bytes) => TakeBatch(batch, MaxBytesPerWrite, out bytes);

    /// <summary>
    /// What a writer that may wait out a coalescing window (<see cref="BeginWindowWait"/>; the threads model's) takes
    /// into one write at most, and the queue at which its wait ends early: a quarter of the SendQ (at most
    /// <see cref="MaxBytesPerWrite"/>). A write's bytes stay counted against the SendQ until it returns, and a
    /// blocking write of a large batch returns only once the kernel has taken all of it, when the peer has already
    /// read its start — so a write must hold a small share of the SendQ, or a reader that keeps up is counted as
    /// falling behind (seen: a healthy reader dropped at 16 KiB with a 12 KB write in flight).
    /// </summary>
    protected int CoalescedWriteBytes => Math.Min(MaxBytesPerWrite, Math.Max(1, Context.SendQueueBytes / 4));

    /// <summary><see cref="TakeBatch(List{ArraySegment{byte}}, out long)"/> taking about <paramref name="maxBytes"/> at most.</summary>
    protected WriterStep TakeBatch(List<ArraySegment<byte>> batch, int maxBytes, out long bytes)
    {
        lock (this)
        {
            bytes = 0;
            if (_stage == OutboundStage.Ended)
            {
                _writerActive = false;
                return WriterStep.Stop;
            }
            if (_queue.TakeInto(batch, MaxSegmentsPerWrite, maxBytes, out bytes) > 0)
                return WriterStep.Write;
            _writerActive = false;
            if (_stage == OutboundStage.Closing)
            {
                _stage = OutboundStage.FinSent;
                return WriterStep.SendFin;
            }
            return WriterStep.Idle;
        }
    }

    /// <summary>
    /// The writer is about to wait out a coalescing window while staying the active writer, so that senders only
    /// queue. False when waiting would gain nothing: the queue already holds a full write
    /// (<see cref="MaxSegmentsPerWrite"/> segments or <see cref="CoalescedWriteBytes"/>) or the connection is
    /// closing. Until <see cref="EndWindowWait"/>, the Send that fills a write, a Close or the end wakes the writer
    /// early (<see cref="WakeWriter"/>): waiting never lets a reader's backlog grow past a quarter of its SendQ, and
    /// never delays an ERROR line or a reset.
    /// </summary>
    protected bool BeginWindowWait()
    {
        lock (this)
        {
            if (_stage != OutboundStage.Open || WindowFullLocked())
                return false;
            _writerInWindow = true;
            return true;
        }
    }

    /// <summary>The writer's window is over (its time passed, or it was woken early).</summary>
    protected void EndWindowWait()
    {
        lock (this)
            _writerInWindow = false;
    }

    /// <summary>The writer wrote the <paramref name="bytes"/> of its last batch.</summary>
    protected void BatchWritten(long bytes)
    {
        Context.Metrics.BytesSent(bytes);
        bool drained = false;
        lock (this)
        {
            _queue.Release(bytes);
            if (_resumeInputAtBacklog >= 0 && _queue.Bytes <= _resumeInputAtBacklog)
            {
                _resumeInputAtBacklog = -1;
                drained = true;
            }
        }
        if (drained)
            _inputPause!.OutputDrained();
    }

    /// <summary>
    /// The writer sent FIN after the ERROR line: for the client the connection is over, so the session is told
    /// now (members see the QUIT at once), while the socket lingers until the peer closes too or the deadline.
    /// </summary>
    protected void FinSent() => TellSession("Connection closed");

    /// <summary>The writer's last write failed (peer reset, socket closed under it): the connection is reset.</summary>
    protected void WriteFailed(string error)
    {
        if (TryEndAbruptly(ConnectionEnd.WriteError, "Write error: " + error))
            ResetSocket();
    }

    /// <summary>
    /// The read side is done: no more bytes are accepted, queued ones are dropped, an idle writer is woken to see
    /// the end and stop. Returns the bytes that were never written (queued or in flight): when there are any the
    /// model should reset rather than close, since a blocked write can only end that way. Idempotent.
    /// </summary>
    protected long StopOutbound()
    {
        bool wake;
        long unsent;
        lock (this)
        {
            unsent = _queue.Bytes;
            if (_end == ConnectionEnd.None)
            {
                _unsentAtEnd = unsent;
                if (_stage == OutboundStage.FinSent)
                    _end = ConnectionEnd.Fin;
            }
            EndLocked();
            wake = ActivateWriterLocked();
        }
        _inputPause?.Cancel();
        if (wake)
            WakeWriter();
        return unsent;
    }

    /// <summary>Records the first abrupt end (deadline, write error, shutdown); false if the connection already ended.</summary>
    private bool TryEndAbruptly(ConnectionEnd end, string? reason = null)
    {
        lock (this)
        {
            if (_stage == OutboundStage.Ended)
                return false;
            _closeReason ??= reason;
            _end = end;
            _unsentAtEnd = _queue.Bytes;
            EndLocked();
        }
        _inputPause?.Cancel();
        return true;
    }

    private void OnCloseDeadline()
    {
        if (TryEndAbruptly(ConnectionEnd.Deadline))
            ResetSocket();
    }

    private void BeginCloseLocked(string reason, bool dropQueued)
    {
        _stage = OutboundStage.Closing;
        _closeReason = reason;
        if (dropQueued)
            _queue.Clear();
        _queue.EnqueueUnbounded(ServerReplies.Error(reason));
        // A client that stopped reading would otherwise keep a closing connection forever.
        _closeDeadline = Context.Time.CreateTimer(s_closeDeadlinePassed, this, Context.CloseTimeout, Timeout.InfiniteTimeSpan);
    }

    private void EndLocked()
    {
        _stage = OutboundStage.Ended;
        _queue.Clear();
        _resumeInputAtBacklog = -1;
        _closeDeadline?.Dispose();
        _closeDeadline = null;
    }

    private bool ActivateWriterLocked()
    {
        if (_writerInWindow && (_stage != OutboundStage.Open || WindowFullLocked()))
        {
            _writerInWindow = false;
            return true; // wake the waiting writer early
        }
        if (_writerActive)
            return false;
        _writerActive = true;
        return true;
    }

    // A full write is queued: waiting longer gathers nothing more into the next write. Nothing is in flight while
    // a writer waits out its window, so the backlog is all queued bytes.
    private bool WindowFullLocked() => _queue.Count >= MaxSegmentsPerWrite || _queue.Bytes >= CoalescedWriteBytes;

    private enum OutboundStage : byte
    {
        /// <summary>Bytes are accepted.</summary>
        Open,

        /// <summary>Close asked for: the ERROR line is queued last, nothing more is accepted, the deadline runs.</summary>
        Closing,

        /// <summary>Everything was written and FIN sent; waiting for the peer to close (or the deadline).</summary>
        FinSent,

        /// <summary>Over: nothing is written any more.</summary>
        Ended,
    }
}
