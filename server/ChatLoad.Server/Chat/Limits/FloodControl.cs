namespace ChatLoad.Server.Chat.Limits;

/// <summary>What flood control says about one line.</summary>
internal enum FloodVerdict
{
    /// <summary>Handle it now.</summary>
    Go,

    /// <summary>Hold it until <see cref="FloodDecision.NotBefore"/>, behind any line already held; the client's
    /// input should not be read meanwhile.</summary>
    Wait,

    /// <summary>Too many lines are held already: close the client with <c>ERROR :Excess flood</c>.</summary>
    Disconnect,
}

/// <param name="Verdict">Go, wait or disconnect.</param>
/// <param name="NotBefore">For <see cref="FloodVerdict.Wait"/>: the <see cref="TimeProvider"/> timestamp at which the
/// line may be handled. Otherwise 0.</param>
internal readonly record struct FloodDecision(FloodVerdict Verdict, long NotBefore)
{
    public static FloodDecision Go => new(FloodVerdict.Go, 0);
    public static FloodDecision Disconnect => new(FloodVerdict.Disconnect, 0);
    public static FloodDecision WaitUntil(long timestamp) => new(FloodVerdict.Wait, timestamp);
}

/// <summary>
/// Flood control for one client as a small state machine on injected time (ergo's fakelag): a client that is
/// <em>bursting</em> may send <see cref="FloodSettings.BurstLines"/> lines back to back; the next one makes it
/// <em>throttled</em>, and from then on each line is spaced <see cref="FloodSettings.LineInterval"/> after the one
/// before it; a quiet spell of <see cref="FloodSettings.Cooldown"/> gives the burst back. Where ergo sleeps the
/// connection's goroutine, this returns the time the line may run, so the caller holds it (and stops reading); it
/// also counts what is held, and past <see cref="FloodSettings.MaxQueuedLines"/> says disconnect, as ratbox's
/// client_flood does for a full receive queue.
/// </summary>
/// <remarks>
/// A mutable struct kept as a field of its owner and touched only under the owner's lock, so it costs no
/// allocation per client. Times are <see cref="TimeProvider.GetTimestamp"/> values.
/// </remarks>
internal struct FloodControl
{
    // "Long ago": far enough back that the first line finds the cooldown over, near enough that now - it cannot overflow.
    private const long LongAgo = long.MinValue / 4;

    private readonly FloodSettings _settings;
    private bool _throttled;
    private int _burstCount;
    private long _lastTouch;
    private int _queued;

    public FloodControl(FloodSettings settings)
    {
        _settings = settings;
        _lastTouch = LongAgo;
    }

    /// <summary>Lines answered with <see cref="FloodVerdict.Wait"/> and not yet <see cref="Release"/>d.</summary>
    public readonly int Queued => _queued;

    /// <summary>True once the burst is spent, until a quiet spell of the cooldown.</summary>
    public readonly bool IsThrottled => _throttled;

    /// <summary>Counts one line that arrived at <paramref name="now"/> and says what to do with it.</summary>
    public FloodDecision Touch(long now)
    {
        // Negative while held lines are scheduled ahead of now: the client is sending faster than it may.
        long elapsed = now - _lastTouch;
        if (!_throttled)
        {
            if (elapsed > _settings.Cooldown)
                _burstCount = 0;
            if (++_burstCount <= _settings.BurstLines)
            {
                _lastTouch = now;
                return FloodDecision.Go;
            }
            _throttled = true;
            _burstCount = 0;
        }

        if (_queued == 0 && elapsed > _settings.Cooldown)
        {
            _throttled = false; // quiet long enough: this line opens a new burst
            _burstCount = 1;
            _lastTouch = now;
            return FloodDecision.Go;
        }

        long notBefore = _lastTouch + _settings.LineInterval;
        if (_queued == 0 && notBefore <= now)
        {
            _lastTouch = now; // spaced out enough already
            return FloodDecision.Go;
        }
        if (_queued >= _settings.MaxQueuedLines)
            return FloodDecision.Disconnect;
        _queued++;
        _lastTouch = Math.Max(notBefore, now);
        return FloodDecision.WaitUntil(_lastTouch);
    }

    /// <summary>One held line was handled.</summary>
    public void Release()
    {
        if (_queued > 0)
            _queued--;
    }
}

/// <summary>
/// <see cref="Hosting.ServerOptions"/>' flood settings in <see cref="TimeProvider"/> timestamp units, converted once
/// per server so the per-line check is integer arithmetic.
/// </summary>
internal sealed record FloodSettings(int BurstLines, long LineInterval, long Cooldown, int MaxQueuedLines)
{
    public static FloodSettings Create(int burstLines, double linesPerSecond, TimeSpan cooldown, int maxQueuedLines, TimeProvider time) =>
        new(burstLines,
            (long)(time.TimestampFrequency / linesPerSecond),
            (long)(cooldown.TotalSeconds * time.TimestampFrequency),
            maxQueuedLines);
}
