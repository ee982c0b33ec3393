using System.Collections.Concurrent;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// Every connected session, for the idle sweep and for shutdown. Enforces <c>MaxClients</c> with its own
/// counter, because <see cref="ConcurrentDictionary{TKey,TValue}.Count"/> takes every bucket lock.
/// </summary>
internal sealed class SessionTable
{
    private readonly ConcurrentDictionary<long, ClientSession> _sessions = new();
    private readonly int _maxClients;
    private int _count;
    private TaskCompletionSource? _emptied;

    public SessionTable(int maxClients) => _maxClients = maxClients;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds the session unless the server is at <c>MaxClients</c>.</summary>
    public bool TryAdd(ClientSession session)
    {
        if (Interlocked.Increment(ref _count) > _maxClients)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        if (!_sessions.TryAdd(session.Id, session))
        {
            // Two live connections with one id would be a transport bug; refuse rather than mix their state.
            Interlocked.Decrement(ref _count);
            return false;
        }
        return true;
    }

    public void Remove(ClientSession session)
    {
        if (!_sessions.TryRemove(new KeyValuePair<long, ClientSession>(session.Id, session)))
            return;
        if (Interlocked.Decrement(ref _count) == 0)
            Volatile.Read(ref _emptied)?.TrySetResult();
    }

    /// <summary>A moment's view for the sweep and shutdown; lock-free, may miss sessions added meanwhile.</summary>
    public IEnumerable<ClientSession> Snapshot() => _sessions.Values;

    /// <summary>Completes when no session is left, or returns false when <paramref name="cancellationToken"/> fires first.</summary>
    public async Task<bool> WaitUntilEmptyAsync(CancellationToken cancellationToken)
    {
        var emptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.CompareExchange(ref _emptied, emptied, null);
        emptied = Volatile.Read(ref _emptied)!;
        if (Count == 0)
            return true;
        try
        {
            await emptied.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Count == 0;
        }
    }
}
