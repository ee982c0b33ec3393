using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Chat;

/// <summary>
/// The chat core as both transports see it: hands every accepted connection a session and runs the one idle
/// sweep. A thin facade; the protocol lives in the sessions, the command handlers and the registries. Register
/// it as a singleton and give the same instance to whichever transport runs.
/// </summary>
public sealed class ChatServer : IConnectionAcceptor, IServerShutdown, IDisposable
{
    private readonly ChatNetwork _network;
    private readonly IdleSweep _sweep;

    public ChatServer(IOptions<ServerOptions> options, TimeProvider time, ILogger<ChatServer> logger, ChatMetrics metrics)
    {
        _network = new ChatNetwork(options.Value, time, logger, metrics);
        metrics.ObserveChannels(() => _network.Channels.Count);
        _sweep = new IdleSweep(_network);
    }

    /// <summary>Connections with a session now (registered or not).</summary>
    public int ConnectionCount => _network.Sessions.Count;

    /// <summary>Registered nicks now; used by tests and diagnostics.</summary>
    public int NickCount => _network.Nicks.Count;

    /// <summary>Channels that have members now.</summary>
    public int ChannelCount => _network.Channels.Count;

    /// <inheritdoc/>
    public IConnectionSession OnConnected(IClientConnection connection)
    {
        var session = new ClientSession(_network, connection);
        if (!_network.Sessions.TryAdd(session))
            throw new InvalidOperationException($"session of connection {connection.Id} added twice"); // a bug
        _network.Counts.OnConnected();
        if (_network.Logger.IsEnabled(LogLevel.Debug)) // skip formatting the endpoint on every accept otherwise
            ChatLog.SessionOpened(_network.Logger, connection.Id, connection.RemoteEndPoint?.ToString() ?? "unknown");
        if (_network.IsShuttingDown)
            session.CloseWith(ShutdownReason); // accepted in the instant before the listener stopped
        return session;
    }

    /// <summary>The reason <see cref="CloseAllAsync"/> uses by default; clients see <c>ERROR :Server shutting down</c>.</summary>
    public const string ShutdownReason = "Server shutting down";

    /// <summary>
    /// Graceful shutdown, for the host to call after the transport stopped accepting: every client is closed
    /// through <see cref="IClientConnection.Close"/> (so it receives <c>ERROR :&lt;reason&gt;</c>), then this waits
    /// until every transport reported the disconnect or <paramref name="cancellationToken"/> fires (pass a token
    /// that fires after <see cref="ServerOptions.ShutdownTimeout"/>). No QUIT fan-out happens meanwhile: every
    /// member is leaving, and skipping it keeps shutdown with thousands of clients fast. Connections accepted after
    /// this call are closed at once with the same reason.
    /// </summary>
    /// <returns>True when every connection reported its disconnect in time; false when some were still open
    /// (the host should then abort them through the transport).</returns>
    public async Task<bool> CloseAllAsync(string reason = ShutdownReason, CancellationToken cancellationToken = default)
    {
        CloseAllClients(reason);
        bool allClosed = await _network.Sessions.WaitUntilEmptyAsync(cancellationToken).ConfigureAwait(false);
        if (!allClosed)
            ChatLog.ClientsStillOpen(_network.Logger, _network.Sessions.Count);
        return allClosed;
    }

    /// <summary>
    /// The non-waiting half of <see cref="CloseAllAsync"/> (<see cref="IServerShutdown"/>): marks the server as
    /// shutting down and asks every connection to close with <c>ERROR :&lt;reason&gt;</c>; returns at once.
    /// </summary>
    public void CloseAllClients(string reason)
    {
        _network.BeginShutdown();
        ChatLog.ClosingAll(_network.Logger, _network.Sessions.Count, reason);
        using var sessions = _network.Sessions.Snapshot();
        foreach (ClientSession session in sessions.Members)
            session.CloseWith(reason);
    }

    public void Dispose() => _sweep.Dispose();
}
