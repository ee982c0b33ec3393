using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One client of the async model, in the shape of Kestrel's socket transport: an async receive loop that fills a
/// pipe and frames lines out of its <see cref="System.IO.Pipelines.PipeReader"/> for the core
/// (SocketConnection.Receive.cs), and an on-demand async writer that drains a bounded queue with vectored sends
/// (SocketConnection.Send.cs). No thread belongs to a connection, and an idle one holds neither a receive buffer
/// nor a pipe.
/// </summary>
internal sealed partial class SocketConnection : ITrackedConnection
{
    private readonly Socket _socket;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _closeTimeout;
    private readonly Action<SocketConnection> _onClosed;
    private int _aborted;

    public SocketConnection(Socket socket, ServerOptions options, ChatMetrics metrics, TimeProvider time, ILogger logger,
        PipePool pipes, Action<SocketConnection> onClosed)
    {
        _socket = socket;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pipes = pipes;
        _onClosed = onClosed;
        _closeTimeout = options.SendTimeout;
        _queue = new OutboundQueue(options.SendQueueBytes);
        Id = ConnectionIds.Next();
        RemoteEndPoint = socket.RemoteEndPoint;
        socket.NoDelay = true;
    }

    public long Id { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Runs the connection to its end (one async method, so an idle connection is one suspended state machine):
    /// receives and delivers lines until the peer or the server ends it; then disposes the socket and tells the
    /// session, exactly once.
    /// </summary>
    public async Task RunAsync(IConnectionSession session)
    {
        string reason = "Connection closed";
        try
        {
            reason = await ReceiveLinesAsync(session).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A bug in the core must cost one connection, never the process.
            reason = "Internal error";
            PipelinesLog.ConnectionFailed(_logger, Id, ex);
        }
        finally
        {
            MarkClosed();
            ReleaseInput();
            _socket.Dispose();
            _metrics.ConnectionClosed();
            try
            {
                session.OnDisconnected(_closeReason ?? reason);
            }
            catch (Exception ex)
            {
                PipelinesLog.ConnectionFailed(_logger, Id, ex);
            }
            _onClosed(this);
        }
    }

    /// <summary>Abortive close: completes any pending receive or send at once.</summary>
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
        _socket.Dispose();
    }
}
