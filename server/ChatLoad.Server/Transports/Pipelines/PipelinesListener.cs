using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// The async model: one async accept loop and, per client, a <see cref="SocketConnection"/> whose loops run on
/// the thread pool only while there is I/O to complete. No thread per connection.
/// </summary>
internal sealed class PipelinesListener : IConnectionListener
{
    private readonly ServerOptions _options;
    private readonly IConnectionAcceptor _acceptor;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectionSlots _slots;
    private readonly ConnectionRegistry _connections = new();
    private readonly PipePool _pipes = new();
    private Socket? _listenSocket;
    private readonly CancellationTokenSource _stopAccepting = new();
    private Task _acceptLoop = Task.CompletedTask;

    public PipelinesListener(ServerOptions options, IConnectionAcceptor acceptor, ChatMetrics metrics, TimeProvider time, ILogger logger, int connectionLimit)
    {
        _options = options;
        _acceptor = acceptor;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _slots = new ConnectionSlots(connectionLimit);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listenSocket ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    public int ConnectionLimit => _slots.Limit;

    public int OpenConnections => _connections.Count;

    public void Start()
    {
        _listenSocket = ListenSocket.Open(_options.Bind, _options.Port);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public void StopAccepting()
    {
        _stopAccepting.Cancel();
        _listenSocket?.Dispose();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException) { }
    }

    public void CloseAll(string reason) => _connections.CloseAll(reason);

    public Task<bool> WaitForConnectionsToCloseAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _connections.WaitUntilEmptyAsync(timeout, _time, cancellationToken);

    public void AbortAll() => _connections.AbortAll();

    public ValueTask DisposeAsync()
    {
        if (!_stopAccepting.IsCancellationRequested)
            StopAccepting();
        AbortAll();
        _stopAccepting.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopAccepting.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listenSocket!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (stopping.IsCancellationRequested || ex.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE/ENFILE and friends: the ceiling should prevent them, but the loop must survive them.
                PipelinesLog.AcceptFailed(_logger, ex.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        if (!_slots.TryAcquire())
        {
            _metrics.ConnectionRefused();
            PipelinesLog.ServerFull(_logger, _slots.Limit);
            ConnectionRefusal.Refuse(client);
            return;
        }

        SocketConnection connection;
        IConnectionSession? session;
        try
        {
            connection = new SocketConnection(client, _options, _metrics, _time, _logger, _pipes, OnConnectionClosed);
            session = _acceptor.OnConnected(connection);
        }
        catch (Exception ex)
        {
            _slots.Release();
            PipelinesLog.AdmitFailed(_logger, ex);
            client.Dispose();
            return;
        }

        if (session is null)
        {
            _slots.Release();
            _metrics.ConnectionRefused();
            ConnectionRefusal.Refuse(client);
            return;
        }

        _metrics.ConnectionOpened();
        _connections.Add(connection);
        _ = connection.RunAsync(session);
    }

    private void OnConnectionClosed(SocketConnection connection)
    {
        _connections.Remove(connection);
        _slots.Release();
    }
}
