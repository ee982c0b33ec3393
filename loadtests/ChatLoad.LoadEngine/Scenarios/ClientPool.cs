namespace ChatLoad.LoadEngine;

/// <summary>
/// Long-lived clients (connections) shared by a scenario's copies, NBomber's <c>ClientPool</c>: fill it in init,
/// take a client per iteration with <c>GetClient(context.ScenarioInfo.InstanceNumber)</c> (so each copy keeps the
/// same client), dispose of it in clean. Reading is lock-free; adding is thread-safe, for an init that connects in
/// parallel.
/// </summary>
/// <typeparam name="T">The client type.</typeparam>
public sealed class ClientPool<T> where T : class
{
    private readonly object _addLock = new();
    private volatile T[] _clients = [];

    /// <summary>Clients in the pool.</summary>
    public int Count => _clients.Length;

    /// <summary>Every client, in the order added.</summary>
    public IReadOnlyList<T> Clients => _clients;

    /// <summary>Adds a client (in init).</summary>
    public void AddClient(T client)
    {
        ArgumentNullException.ThrowIfNull(client);
        lock (_addLock) _clients = [.. _clients, client];
    }

    /// <summary>The client for <paramref name="instanceNumber"/>: <c>instanceNumber % Count</c>, so clients are spread
    /// evenly however many copies run.</summary>
    /// <exception cref="InvalidOperationException">The pool is empty (init added nothing).</exception>
    public T GetClient(int instanceNumber)
    {
        var clients = _clients;
        if (clients.Length == 0) throw new InvalidOperationException("the client pool is empty: add clients in the scenario's init");
        return clients[(int)((uint)instanceNumber % (uint)clients.Length)];
    }

    /// <summary>Disposes every client that implements <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>,
    /// and empties the pool.</summary>
    public async Task DisposeClientsAsync()
    {
        foreach (var client in TakeAll())
        {
            if (client is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (client is IDisposable disposable) disposable.Dispose();
        }
    }

    /// <summary>Runs <paramref name="disposeClient"/> on every client (e.g. a polite QUIT), then empties the pool.</summary>
    public async Task DisposeClientsAsync(Func<T, Task> disposeClient)
    {
        foreach (var client in TakeAll()) await disposeClient(client);
    }

    private T[] TakeAll()
    {
        lock (_addLock)
        {
            var clients = _clients;
            _clients = [];
            return clients;
        }
    }
}
