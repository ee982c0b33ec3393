using ChatLoad.Server.Collections;

namespace ChatLoad.Server.Transports;

/// <summary>
/// The live connections of one listener, for the shutdown stages (close all, wait, abort the rest): an
/// <see cref="IntrusiveList{T}"/>, so a connection's place in it is two references inside the connection (a
/// dictionary node and its bucket share were ~60 bytes per idle client, and nothing looks a connection up by id).
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly IntrusiveList<TransportConnection> _connections = new();

    public int Count => _connections.Count;

    public void Add(TransportConnection connection) => _connections.Add(connection);

    public void Remove(TransportConnection connection) => _connections.Remove(connection);

    public void CloseAll(string reason)
    {
        using var connections = _connections.TakeSnapshot();
        foreach (TransportConnection connection in connections.Members)
            connection.Close(reason);
    }

    public void AbortAll()
    {
        using var connections = _connections.TakeSnapshot();
        foreach (TransportConnection connection in connections.Members)
            connection.Abort();
    }

    /// <summary>Waits until every connection is gone or <paramref name="timeout"/> passes; true when empty.</summary>
    public async Task<bool> WaitUntilEmptyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // Polling is enough here: it runs once, at shutdown, and 20 ms granularity is invisible next to the timeout.
        long start = time.GetTimestamp();
        while (!_connections.IsEmpty)
        {
            if (time.GetElapsedTime(start) >= timeout || cancellationToken.IsCancellationRequested)
                return false;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return _connections.IsEmpty;
            }
        }
        return true;
    }
}
