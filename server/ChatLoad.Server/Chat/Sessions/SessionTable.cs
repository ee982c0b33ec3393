using ChatLoad.Server.Collections;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// Every connected session, for the idle sweep and for shutdown: an <see cref="IntrusiveList{T}"/>, so a session's
/// place in it is two references inside the session (a dictionary node and its bucket share were ~60 bytes per idle
/// client, and nothing looks a session up by id here). Admission (MaxClients, the
/// ceilings) is the transports' ConnectionAdmission: one place decides, and this table only records.
/// </summary>
internal sealed class SessionTable
{
    private readonly IntrusiveList<ClientSession> _sessions = new();
    private TaskCompletionSource? _emptied;

    public int Count => _sessions.Count;

    /// <summary>Adds the session; false only when it is already in the table (a transport bug: connected twice).</summary>
    public bool TryAdd(ClientSession session) => _sessions.Add(session);

    public void Remove(ClientSession session)
    {
        if (_sessions.Remove(session) && _sessions.IsEmpty)
            Volatile.Read(ref _emptied)?.TrySetResult();
    }

    /// <summary>A moment's view for the sweep and shutdown (pooled: dispose it); may miss sessions added meanwhile.</summary>
    public IntrusiveList<ClientSession>.Snapshot Snapshot() => _sessions.TakeSnapshot();

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
