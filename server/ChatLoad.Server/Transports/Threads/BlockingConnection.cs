using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Threads;

/// <summary>
/// One client of the threads model: a blocking socket read by its own dedicated thread
/// (<see cref="RunReceiveThread"/>, in BlockingConnection.Receive.cs) and written by whichever thread queues bytes
/// while nobody else is writing (BlockingConnection.Send.cs). Nothing here is async.
/// </summary>
internal sealed partial class BlockingConnection : ITrackedConnection
{
    private readonly Socket _socket;
    private readonly ChatMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<BlockingConnection> _onClosed;
    private int _aborted;

    public BlockingConnection(Socket socket, ServerOptions options, ChatMetrics metrics, ILogger logger, Action<BlockingConnection> onClosed)
    {
        _socket = socket;
        _metrics = metrics;
        _logger = logger;
        _onClosed = onClosed;
        _queue = new OutboundQueue(options.SendQueueBytes);
        Id = ConnectionIds.Next();
        RemoteEndPoint = socket.RemoteEndPoint;

        // The send timeout is the whole slow-consumer bound of this model: a writer blocked on a client that
        // stopped reading gives up after it, so it can delay delivery to the others for at most this long.
        socket.SendTimeout = (int)Math.Clamp(options.SendTimeout.TotalMilliseconds, 1, int.MaxValue);
        socket.NoDelay = true;
    }

    public long Id { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Abortive close: shuts the socket both ways, which wakes the receive thread's blocking Receive and any blocked
    /// Send at once. The receive thread then disposes the socket and reports the disconnect.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
            return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }
}
