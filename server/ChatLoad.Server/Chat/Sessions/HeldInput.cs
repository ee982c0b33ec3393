namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The lines a throttled client sent faster than flood control allows, each with the time it may run, and the one
/// timer that runs them then. A session creates it the first time flood control says "wait", so a client that never
/// floods holds no queue and no timer. Used under the session's lock.
/// </summary>
internal sealed class HeldInput : IDisposable
{
    private readonly Queue<(byte[] Line, long NotBefore)> _lines = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    /// <param name="time">The clock flood control reads.</param>
    /// <param name="runDue">Called on a timer thread when the first held line is due; it takes the session's lock
    /// and calls <see cref="TryTakeDue"/> until it returns false, then <see cref="ArmForNext"/>.</param>
    /// <param name="state">Passed to <paramref name="runDue"/> (the session).</param>
    public HeldInput(TimeProvider time, TimerCallback runDue, object state)
    {
        _time = time;
        _timer = time.CreateTimer(runDue, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Lines held now.</summary>
    public int Count => _lines.Count;

    /// <summary>Keeps a copy of <paramref name="line"/> (at most 510 bytes) to run at <paramref name="notBefore"/>.</summary>
    public void Hold(ReadOnlySpan<byte> line, long notBefore)
    {
        _lines.Enqueue((line.ToArray(), notBefore));
        if (_lines.Count == 1)
            Arm(notBefore);
    }

    /// <summary>Takes the oldest held line if its time has come.</summary>
    public bool TryTakeDue(out byte[] line)
    {
        if (_lines.TryPeek(out var next) && next.NotBefore <= _time.GetTimestamp())
        {
            line = _lines.Dequeue().Line;
            return true;
        }
        line = [];
        return false;
    }

    /// <summary>Sets the timer for the oldest line still held, if any.</summary>
    public void ArmForNext()
    {
        if (_lines.TryPeek(out var next))
            Arm(next.NotBefore);
    }

    /// <summary>Drops every held line and stops the timer (the client left).</summary>
    public void Dispose()
    {
        _lines.Clear();
        _timer.Dispose();
    }

    private void Arm(long notBefore)
    {
        TimeSpan due = _time.GetElapsedTime(_time.GetTimestamp(), notBefore);
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
