namespace ChatLoad.Server.Transports;

/// <summary>
/// "At most one such log line per interval; count the rest into the next one": for failures that come in floods
/// (EMFILE on every accept, a thread that cannot start for every client), where a line each would be a log flood.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _lastLogged;
    private bool _loggedOnce;
    private int _suppressed;

    /// <summary>True when this occurrence should be logged, with how many were suppressed since the last one.</summary>
    public bool ShouldLog(TimeProvider time, out int suppressed)
    {
        long now = time.GetTimestamp();
        lock (_gate)
        {
            if (_loggedOnce && time.GetElapsedTime(_lastLogged, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }
            _loggedOnce = true;
            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
