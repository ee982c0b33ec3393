using System.Collections.Concurrent;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// Every connected session, for the idle sweep and for shutdown. Keeps its own count, because
/// <see cref="ConcurrentDictionary{TKey,TValue}.Count"/> takes every bucket lock. Admission (MaxClients, the
/// ceilings) is the transports' ConnectionAdmission: one place decides, and this table only records.
/// </summary>
internal sealed class SessionTable
{
    private readonly ConcurrentDictionary<long, ClientSession> _sessions = new();
    private int _count;
    private TaskCompletionSource? _emptied;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds the session; false only for a second live session with the same connection id (a transport bug).</summary>
    public bool TryAdd(ClientSession session)
    {
        if (!_sessions.TryAdd(session.Id, session))
            return false;
        Interlocked.Increment(ref _count);
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
