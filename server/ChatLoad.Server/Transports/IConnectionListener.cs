namespace ChatLoad.Server.Transports;

/// <summary>What the hosting layer needs from a transport's listener.</summary>
internal interface IConnectionListener : IAsyncDisposable
{
    /// <summary>The bound address (with the real port when 0 was asked for). Valid after <see cref="Start"/>.</summary>
    System.Net.IPEndPoint LocalEndPoint { get; }

    /// <summary>The TLS listener's bound address, or null when TLS is off. Valid after <see cref="Start"/>.</summary>
    System.Net.IPEndPoint? TlsEndPoint { get; }

    /// <summary>Most clients this listener admits (MaxClients or the resource ceiling, whichever is lower).</summary>
    int ConnectionLimit { get; }

    /// <summary>Connections open now.</summary>
    int OpenConnections { get; }

    /// <summary>Binds, listens and starts accepting in the background.</summary>
    void Start();

    /// <summary>Shutdown stage 1: closes the listening socket; open connections are untouched.</summary>
    void StopAccepting();

    /// <summary>Closes every open connection with <c>ERROR :reason</c> (for any the core does not know yet).</summary>
    void CloseAll(string reason);

    /// <summary>Shutdown stage 3: waits until every connection has gone, up to <paramref name="timeout"/>.</summary>
    Task<bool> WaitForConnectionsToCloseAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Shutdown stage 4: aborts whatever is left.</summary>
    void AbortAll();
}
