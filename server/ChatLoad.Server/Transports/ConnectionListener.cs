using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Transports;

/// <summary>
/// The listener of both models: binds, hands each accepted socket to the one <see cref="ConnectionAdmission"/>,
/// asks the core for a session (<see cref="IConnectionAcceptor.OnConnected"/>, at the same moment in both
/// models: on the accept loop, before any byte is read), starts the connection, and runs shutdown's stages.
/// A model supplies its accept loop and how to make a connection from a socket.
/// </summary>
internal sealed class ConnectionListener : IConnectionListener
{
    /// <summary>Back-off after a failed accept (EMFILE and friends), so a persistent failure is not a busy loop.</summary>
    internal static readonly TimeSpan AcceptFailureBackoff = TimeSpan.FromMilliseconds(50);

    private readonly ServerOptions _options;
    private readonly IConnectionAcceptor _acceptor;
    private readonly TransportContext _context;
    private readonly ConnectionAdmission _admission;
    private readonly IAcceptLoop _acceptLoop;
    private readonly Func<Socket, EndPoint?, TransportContext, TransportConnection> _createConnection;
    private readonly ConnectionRegistry _connections = new();
    private Socket? _listenSocket;
    private volatile bool _stopping;

    public ConnectionListener(ServerOptions options, IConnectionAcceptor acceptor, TransportContext context, ConnectionAdmission admission,
        IAcceptLoop acceptLoop, Func<Socket, EndPoint?, TransportContext, TransportConnection> createConnection)
    {
        _options = options;
        _acceptor = acceptor;
        _context = context;
        _admission = admission;
        _acceptLoop = acceptLoop;
        _createConnection = createConnection;
        context.ConnectionEnded = OnConnectionEnded;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listenSocket ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    public int ConnectionLimit => _admission.Limit;

    public int OpenConnections => _connections.Count;

    public void Start()
    {
        _listenSocket = ListenSocket.Open(_options.Bind, _options.Port);
        _acceptLoop.Start(_listenSocket, OnAccepted, OnAcceptFailed);
    }

    public void StopAccepting()
    {
        _stopping = true;
        _listenSocket?.Dispose(); // wakes a blocking Accept and ends a pending AcceptAsync
        _acceptLoop.Stop();
    }

    public void CloseAll(string reason) => _connections.CloseAll(reason);

    public Task<bool> WaitForConnectionsToCloseAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _connections.WaitUntilEmptyAsync(timeout, _context.Time, cancellationToken);

    public void AbortAll() => _connections.AbortAll();

    public ValueTask DisposeAsync()
    {
        if (!_stopping)
            StopAccepting();
        AbortAll();
        return ValueTask.CompletedTask;
    }

    private void OnAccepted(Socket client)
    {
        EndPoint? remote;
        try
        {
            remote = client.RemoteEndPoint;
        }
        catch (SocketException)
        {
            client.Dispose(); // gone before we looked
            return;
        }

        if (!_admission.TryAdmit(remote, out string? refusal))
        {
            _context.Metrics.ConnectionRefused();
            TransportLog.Refused(_context.Logger, remote?.ToString() ?? "unknown", refusal, _admission.Limit);
            ConnectionRefusal.Refuse(client, refusal);
            return;
        }

        TransportConnection connection;
        IConnectionSession session;
        try
        {
            connection = _createConnection(client, remote, _context);
            session = _acceptor.OnConnected(connection);
        }
        catch (Exception ex)
        {
            // The peer may already be gone (socket options fail), or the core failed: this client only.
            _admission.Release(remote);
            TransportLog.AdmitFailed(_context.Logger, ex);
            client.Dispose();
            return;
        }

        _context.Metrics.ConnectionOpened();
        _connections.Add(connection);
        connection.Start(session);
    }

    private TimeSpan? OnAcceptFailed(Exception exception)
    {
        switch (exception)
        {
            case ObjectDisposedException or OperationCanceledException:
                return null;
            case SocketException ex when _stopping || ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted:
                return null;
            case SocketException ex:
                // EMFILE/ENFILE and friends: the ceiling should prevent them, but the loop must survive them.
                TransportLog.AcceptFailed(_context.Logger, ex.SocketErrorCode, (int)AcceptFailureBackoff.TotalMilliseconds);
                return AcceptFailureBackoff;
            default:
                return _stopping ? null : AcceptFailureBackoff;
        }
    }

    private void OnConnectionEnded(TransportConnection connection)
    {
        _connections.Remove(connection);
        _admission.Release(connection.RemoteEndPoint);
    }
}
