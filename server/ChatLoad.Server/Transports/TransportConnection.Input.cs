namespace ChatLoad.Server.Transports;

internal abstract partial class TransportConnection
{
    // Created the first time the core pauses this client's input, so a connection that never pauses (nearly all
    // of them) holds nothing for it. Created and waited on only by the input side; signalled from anywhere.
    private InputPause? _inputPause;

    // Complete lines received and not yet handed to the session (input side only): counted as bytes arrive,
    // one off per line delivered. A counter rather than a scan, so asking costs nothing.
    private int _bufferedLines;

    /// <inheritdoc/>
    public int UnreadInputLines => Math.Max(0, Volatile.Read(ref _bufferedLines));

    /// <inheritdoc/>
    public long UnreadInputBytes => KernelReceiveQueueBytes;

    /// <summary>Bytes waiting in the kernel's receive buffer for this socket (FIONREAD), 0 once it is closed.</summary>
    protected abstract int KernelReceiveQueueBytes { get; }

    /// <summary>The read loop received <paramref name="data"/>: its line ends are counted as lines waiting.</summary>
    protected void CountReceivedLines(ReadOnlySpan<byte> data) => _bufferedLines += data.Count((byte)'\n');

    /// <summary>The read loop is about to hand the session one line (or report one over-long line).</summary>
    protected void DeliveringLine() => _bufferedLines--;

    /// <inheritdoc/>
    public bool PauseInputUntilDrained(long queuedBytesAtMost)
    {
        InputPause pause = _inputPause ??= new InputPause(Context.Time);
        lock (this)
        {
            if (_stage != OutboundStage.Open)
                return true;
            if (_queue.Bytes <= queuedBytesAtMost)
                return false;
            _resumeInputAtBacklog = queuedBytesAtMost;
            pause.WaitForDrain();
            return true;
        }
    }

    /// <inheritdoc/>
    public void PauseInputUntil(long resumeAtTimestamp)
    {
        InputPause pause = _inputPause ??= new InputPause(Context.Time);
        lock (this)
        {
            if (_stage != OutboundStage.Open)
                return;
            pause.WaitUntil(resumeAtTimestamp);
        }
    }

    /// <summary>
    /// True once the core has asked not to be given more input, until it has been told the pause is over (even
    /// when the pause is over already). Checked by the read loops before each line.
    /// </summary>
    protected bool IsInputPaused => _inputPause is { IsPending: true };

    /// <summary>
    /// The threads model's wait: blocks this client's own read thread until the pause is over (or the connection
    /// closes), then tells the session, once per pause; returns when input may flow again.
    /// </summary>
    protected void WaitWhileInputPaused(IConnectionSession session)
    {
        while (_inputPause is { IsPending: true } pause)
        {
            pause.WaitBlocking();
            if (IsClosing)
                return;
            pause.ClearPending(); // before the session, which may pause again
            session.OnInputResumed();
        }
    }

    /// <summary>The async model's wait: the same as <see cref="WaitWhileInputPaused"/>, holding no thread.</summary>
    protected async ValueTask WaitWhileInputPausedAsync(IConnectionSession session)
    {
        while (_inputPause is { IsPending: true } pause)
        {
            await pause.WaitAsync().ConfigureAwait(false);
            if (IsClosing)
                return;
            pause.ClearPending();
            session.OnInputResumed();
        }
    }
}
