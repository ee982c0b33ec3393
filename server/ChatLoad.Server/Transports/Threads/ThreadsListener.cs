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
    /// Stack reserved per connection thread. The default (8 MiB on Linux) is only reserved, not committed, but a
    /// receive loop that frames lines and calls the core needs a tiny fraction of it; 256 KiB keeps 15,000 threads'
    /// address space modest and still leaves a wide margin over the deepest path (logging, formatting, stackalloc of a line).
    /// </summary>
    internal const int ConnectionThreadStackBytes = 256 * 1024;

    private readonly ServerOptions _options;
    private readonly IConnectionAcceptor _acceptor;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectionSlots _slots;
    private readonly ConnectionRegistry _connections = new();
    private readonly Socket _listenSocket;
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
        _listenSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listenSocket.LocalEndPoint!;

    public int ConnectionLimit => _slots.Limit;

    public int OpenConnections => _connections.Count;

    public void Start()
    {
        IPAddress address = IPAddress.Parse(_options.Bind);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listenSocket.Dispose();
            throw new NotSupportedException("IPv6 bind addresses are not supported; use an IPv4 address such as 127.0.0.1.");
        }
        _listenSocket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listenSocket.Bind(new IPEndPoint(address, _options.Port));
        _listenSocket.Listen(backlog: 4096);
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "chatload-accept" };
        _acceptThread.Start();
    }

    public void StopAccepting()
    {
        _stopping = true;
        _listenSocket.Dispose(); // wakes the blocking Accept
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
                client = _listenSocket.Accept();
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
