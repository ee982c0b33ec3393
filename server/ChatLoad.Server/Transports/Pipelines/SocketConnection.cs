using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One client of the async model, in the shape of Kestrel's socket transport: a receive loop that fills a
/// <see cref="Pipe"/> (SocketConnection.Receive.cs), a loop that frames lines out of it for the core, and an
/// on-demand async writer that drains a bounded queue with vectored sends (SocketConnection.Send.cs).
/// No thread belongs to a connection; an idle one holds no receive buffer.
/// </summary>
internal sealed partial class SocketConnection : ITrackedConnection
{
    private readonly Socket _socket;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _closeTimeout;
    private int _aborted;

    public SocketConnection(Socket socket, ServerOptions options, ChatMetrics metrics, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _closeTimeout = options.SendTimeout;
        _queue = new OutboundQueue(options.SendQueueBytes);
        _input = new Pipe(InputPipeOptions);
        Id = ConnectionIds.Next();
        RemoteEndPoint = socket.RemoteEndPoint;
        socket.NoDelay = true;
    }

    public long Id { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Runs the connection to its end: receive and line processing side by side; then disposes the socket and
    /// tells the session, exactly once.
    /// </summary>
    public async Task RunAsync(IConnectionSession session)
    {
        string reason = "Connection closed";
        try
        {
            Task<string> receiving = ReceiveLoopAsync();
            string? processingEnd = await ProcessLinesAsync(session).ConfigureAwait(false);
            // The processing side only ends early on a core failure; make the receive side stop too.
            if (processingEnd is not null)
                Abort();
            reason = processingEnd ?? await receiving.ConfigureAwait(false);
            if (processingEnd is not null)
                await receiving.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            reason = "Internal error";
            PipelinesLog.ConnectionFailed(_logger, Id, ex);
        }
        finally
        {
            MarkClosed();
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
        }
    }

    /// <summary>Abortive close: disposing the socket completes any pending receive or send at once.</summary>
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
