namespace ChatLoad.Server.Transports;

/// <summary>
/// Admission control: at most <see cref="Limit"/> connections at once. The limit is the smallest of
/// ServerOptions.MaxClients and the resource ceiling of the mode (<see cref="ConnectionCeiling"/>), so a
/// connection over it is refused with <c>ERROR :Server full</c> instead of failing somewhere deeper.
/// </summary>
internal sealed class ConnectionSlots(int limit)
{
    private int _inUse;

    public int Limit { get; } = limit;

    public int InUse => Volatile.Read(ref _inUse);

    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _inUse);
            if (current >= Limit)
                return false;
            if (Interlocked.CompareExchange(ref _inUse, current + 1, current) == current)
                return true;
        }
    }

    public void Release() => Interlocked.Decrement(ref _inUse);
}
