using System.Collections.Concurrent;

namespace ChatLoad.Server.Transports;

/// <summary>The live connections of one listener, for the shutdown stages (close all, wait, abort the rest).</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, TransportConnection> _connections = new();

    public int Count => _connections.Count;

    public void Add(TransportConnection connection) => _connections.TryAdd(connection.Id, connection);

    public void Remove(TransportConnection connection) => _connections.TryRemove(connection.Id, out _);

    public void CloseAll(string reason)
    {
        foreach (TransportConnection connection in _connections.Values)
            connection.Close(reason);
    }

    public void AbortAll()
    {
        foreach (TransportConnection connection in _connections.Values)
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
