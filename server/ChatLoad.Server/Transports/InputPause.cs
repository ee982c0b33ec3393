namespace ChatLoad.Server.Transports;

/// <summary>
/// One connection's "do not read my input yet": paused until its output has drained (a long reply streamed as
/// the client reads it), until a time (flood control), or both; cancelled for good when the connection closes.
/// The read side waits on it — blocking in the threads model (its own thread), awaiting in the async model.
/// </summary>
internal sealed class InputPause
{
    private static readonly TimerCallback s_timeReached = static state => ((InputPause)state!).OnTimer();

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private volatile bool _paused;
    private volatile bool _pending;    // asked for, and the session not yet told it is over (input side only)
    private bool _waitingForDrain;
    private long _resumeAt;            // TimeProvider timestamp; 0 = no time pause
    private bool _cancelled;
    private ITimer? _timer;
    private TaskCompletionSource? _resumed; // the async reader's wait, created per pause

    public InputPause(TimeProvider time) => _time = time;

    public bool IsPaused => _paused;

    /// <summary>
    /// A pause was asked for and the session has not been told it ended — even when it is over already (a
    /// backlog that drained before the read loop looked). The read side checks this, not <see cref="IsPaused"/>,
    /// so that every pause ends with exactly one OnInputResumed.
    /// </summary>
    public bool IsPending => _pending;

    /// <summary>The read side is about to tell the session that the pause is over.</summary>
    public void ClearPending() => _pending = false;

    /// <summary>Pauses until <see cref="OutputDrained"/>.</summary>
    public void WaitForDrain()
    {
        lock (_gate)
        {
            if (_cancelled)
                return;
            _pending = true;
            _waitingForDrain = true;
            Update();
        }
    }

    /// <summary>Pauses until the <see cref="TimeProvider"/> timestamp <paramref name="resumeAt"/> (no-op when past).</summary>
    public void WaitUntil(long resumeAt)
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            if (_cancelled || resumeAt <= now || resumeAt <= _resumeAt)
                return;
            _pending = true;
            _resumeAt = resumeAt;
            _timer?.Dispose();
            _timer = _time.CreateTimer(s_timeReached, this, _time.GetElapsedTime(now, resumeAt), Timeout.InfiniteTimeSpan);
            Update();
        }
    }

    /// <summary>The output backlog fell to what <see cref="WaitForDrain"/> waited for.</summary>
    public void OutputDrained()
    {
        lock (_gate)
        {
            _waitingForDrain = false;
            Update();
        }
    }

    /// <summary>The connection is closing: no pause holds any more, now or later.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancelled = true;
            _pending = false; // closing: no input follows, so nothing to resume
            _timer?.Dispose();
            _timer = null;
            Update();
        }
    }

    public void WaitBlocking()
    {
        lock (_gate)
        {
            while (_paused)
                Monitor.Wait(_gate);
        }
    }

    public ValueTask WaitAsync()
    {
        lock (_gate)
        {
            if (!_paused)
                return ValueTask.CompletedTask;
            _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(_resumed.Task);
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_resumeAt == 0)
                return;
            long now = _time.GetTimestamp();
            if (now < _resumeAt)
            {
                // A timer may fire a hair early on a coarse clock: wait out the rest.
                _timer?.Change(_time.GetElapsedTime(now, _resumeAt), Timeout.InfiniteTimeSpan);
                return;
            }
            _resumeAt = 0;
            _timer?.Dispose();
            _timer = null;
            Update();
        }
    }

    private void Update()
    {
        _paused = !_cancelled && (_waitingForDrain || _resumeAt != 0);
        if (_paused)
            return;
        Monitor.PulseAll(_gate);
        _resumed?.TrySetResult();
        _resumed = null;
    }
}
