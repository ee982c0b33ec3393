using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Users;

/// <summary>
/// The figures LUSERS reports (251–255, 265, 266), kept as counters updated on each transition, because LUSERS is
/// also sent on every registration: counting by walking the sessions would make a connect storm quadratic.
/// </summary>
internal sealed class UserCounts
{
    private int _connected;
    private int _registered;
    private int _invisible;
    private int _operators;
    private int _maxRegistered;

    public int Registered => Volatile.Read(ref _registered);

    /// <summary>
    /// Connections with a session that has not departed yet. Counted at the departure (QUIT, close) rather than when
    /// the transport reports the socket gone, so a client that just quit is not "unknown" a moment longer.
    /// </summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Connections that have not registered (yet): 253's "unknown connections".</summary>
    public int Unregistered => Math.Max(0, Connected - Registered);
    public int Invisible => Volatile.Read(ref _invisible);
    public int Operators => Volatile.Read(ref _operators);

    /// <summary>The most clients registered at once since start (265/266's "max").</summary>
    public int MaxRegistered => Volatile.Read(ref _maxRegistered);

    public void OnConnected() => Interlocked.Increment(ref _connected);

    /// <summary>A session departed; <paramref name="registered"/> and <paramref name="modes"/> are what it had.</summary>
    public void OnDeparted(bool registered, UserModes modes)
    {
        Interlocked.Decrement(ref _connected);
        if (!registered)
            return;
        Interlocked.Decrement(ref _registered);
        OnModesChanged(modes, UserModes.None);
    }

    public void OnRegistered(UserModes modes)
    {
        int now = Interlocked.Increment(ref _registered);
        int max;
        while (now > (max = Volatile.Read(ref _maxRegistered)) && Interlocked.CompareExchange(ref _maxRegistered, now, max) != max)
        {
        }
        OnModesChanged(UserModes.None, modes);
    }

    /// <summary>Called by a registered session when its own modes change (only its own thread changes them).</summary>
    public void OnModesChanged(UserModes before, UserModes after)
    {
        Adjust(ref _invisible, before, after, UserModes.Invisible);
        Adjust(ref _operators, before, after, UserModes.Operator);
    }

    private static void Adjust(ref int counter, UserModes before, UserModes after, UserModes mode)
    {
        bool was = (before & mode) != 0, isNow = (after & mode) != 0;
        if (was != isNow)
            Interlocked.Add(ref counter, isNow ? 1 : -1);
    }
}
