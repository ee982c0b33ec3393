using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Threads;

/// <summary>
/// The threads model: a blocking accept loop on its own thread, and one dedicated thread per accepted client
/// (<see cref="BlockingConnection"/>). Admission stops below the thread ceiling, because past
/// vm.max_map_count a failing <c>Thread.Start</c> is fatal to the runtime.
/// </summary>
internal sealed class ThreadsListener : IConnectionListener
{
    /// <summary>
    /// Stack reserved per connection thread. A receive loop that frames lines and calls the core needs a tiny
    /// fraction of Linux's 8 MiB default; 256 KiB still leaves a wide margin over the deepest path (logging,
    /// formatting, a stackalloc'd line). Measured with 1,000 clients (Release): the default reserves +8,409 KiB of
    /// address space per client, 256 KiB reserves +473 KiB; RSS (+34.8 KiB per client) and memory mappings (4.01 per
    /// thread) are the same either way, so the ceiling does not move — only the address space is spared.
    /// </summary>
    internal const int ConnectionThreadStackBytes = 256 * 1024;

    private readonly ServerOptions _options;
    private readonly IConnectionAcceptor _acceptor;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectionSlots _slots;
    private readonly ConnectionRegistry _connections = new();
    private Socket? _listenSocket;
    private Thread? _acceptThread;
    private volatile bool _stopping;

    public ThreadsListener(ServerOptions options, IConnectionAcceptor acceptor, ChatMetrics metrics, TimeProvider time, ILogger logger, int connectionLimit)
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
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "chatload-accept" };
        _acceptThread.Start();
    }

    public void StopAccepting()
    {
        _stopping = true;
        _listenSocket?.Dispose(); // wakes the blocking Accept
        _acceptThread?.Join(TimeSpan.FromSeconds(2));
    }

    public void CloseAll(string reason) => _connections.CloseAll(reason);

    public Task<bool> WaitForConnectionsToCloseAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _connections.WaitUntilEmptyAsync(timeout, _time, cancellationToken);

    public void AbortAll() => _connections.AbortAll();

    public ValueTask DisposeAsync()
    {
        if (!_stopping)
            StopAccepting();
        AbortAll();
        return ValueTask.CompletedTask;
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listenSocket!.Accept();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (_stopping || ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE/ENFILE and friends: the ceiling should prevent them, but the loop must survive them.
                ThreadsLog.AcceptFailed(_logger, ex.SocketErrorCode);
                Thread.Sleep(50);
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
            ThreadsLog.ServerFull(_logger, _slots.Limit);
            ConnectionRefusal.Refuse(client);
            return;
        }

        BlockingConnection connection;
        try
        {
            connection = new BlockingConnection(client, _options, _metrics, _logger, OnConnectionClosed);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _slots.Release(); // the peer is already gone
            client.Dispose();
            return;
        }

        var thread = new Thread(() => connection.RunReceiveThread(_acceptor), ConnectionThreadStackBytes)
        {
            IsBackground = true,
            Name = "chatload-client",
        };
        _connections.Add(connection);
        try
        {
            thread.Start();
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException or ThreadStateException)
        {
            // The OS would not give us another thread: refuse this client rather than fail the process.
            _connections.Remove(connection);
            _slots.Release();
            _metrics.ConnectionRefused();
            ThreadsLog.ThreadStartFailed(_logger, connection.Id, ex);
            ConnectionRefusal.Refuse(client);
        }
    }

    private void OnConnectionClosed(BlockingConnection connection)
    {
        _connections.Remove(connection);
        _slots.Release();
    }
}
