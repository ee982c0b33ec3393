using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>What the idle sweep should do about one connection now.</summary>
internal enum LivenessVerdict
{
    Alive,
    SendPing,
    PingTimedOut,
    RegistrationTimedOut,
}

/// <summary>
/// The timestamps behind ping and registration timeouts for one connection, and the rule that judges them.
/// The session's own thread writes <c>lastActivity</c> on every line; only the sweep writes <c>pingSentAt</c>;
/// a ping is outstanding while it is newer than the last activity. One writer per field, so no lock. A struct held
/// inside its <see cref="ClientSession"/> and reached by reference (<see cref="ClientSession.Liveness"/>), the clock
/// passed in: an object of its own, with its own clock reference, cost 56 bytes per client instead of 24; never copy it.
/// </summary>
internal struct ConnectionLiveness
{
    private readonly long _connectedAt;
    private long _lastActivity;
    private long _pingSentAt;

    public ConnectionLiveness(TimeProvider time)
    {
        _connectedAt = time.GetTimestamp();
        _lastActivity = _connectedAt;
        _pingSentAt = long.MinValue;
    }

    /// <summary>When the last line arrived (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>Any line received counts: it proves the peer is there, PONG or not.</summary>
    public void RecordActivity(TimeProvider time) => Volatile.Write(ref _lastActivity, time.GetTimestamp());

    /// <summary>Called by the sweep right after it sent PING.</summary>
    public void RecordPingSent(long now) => Volatile.Write(ref _pingSentAt, now);

    public LivenessVerdict Evaluate(long now, bool registered, ServerOptions options, TimeProvider time)
    {
        if (!registered)
            return time.GetElapsedTime(_connectedAt, now) >= options.RegistrationTimeout
                ? LivenessVerdict.RegistrationTimedOut
                : LivenessVerdict.Alive;

        long lastActivity = Volatile.Read(ref _lastActivity);
        long pingSentAt = Volatile.Read(ref _pingSentAt);
        if (pingSentAt > lastActivity)
            return time.GetElapsedTime(pingSentAt, now) >= options.PingTimeout
                ? LivenessVerdict.PingTimedOut
                : LivenessVerdict.Alive;
        return time.GetElapsedTime(lastActivity, now) >= options.PingInterval
            ? LivenessVerdict.SendPing
            : LivenessVerdict.Alive;
    }
}
