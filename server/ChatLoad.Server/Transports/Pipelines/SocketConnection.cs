using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Transports.Tls;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One client of the async model, in the shape of Kestrel's socket transport: an async receive loop that fills a
/// pipe and frames lines out of its <see cref="System.IO.Pipelines.PipeReader"/> for the core
/// (SocketConnection.Receive.cs), and an on-demand async writer, run in the thread pool's writer passes (WriterRunQueue), that drains the
/// shared SendQ with vectored sends (SocketConnection.Send.cs). No thread belongs to a connection, and an idle one
/// holds neither a receive buffer, nor a pipe, nor a writer.
/// </summary>
internal sealed partial class SocketConnection : TransportConnection
{
    private readonly Socket _socket;
    private readonly TlsChannel? _tls; // the TLS port's connections: SslStream between the socket and the pipe
    private readonly SocketReadiness? _readiness; // plain TCP with the epoll engine: our readiness, our recv and sendmsg

    public SocketConnection(Socket socket, EndPoint? remoteEndPoint, TransportContext context, TlsEndpoint? tls = null)
        : base(remoteEndPoint, context)
    {
        _socket = socket;
        socket.NoDelay = true;
        if (tls is not null)
            _tls = new TlsChannel(socket, tls);
        else if (context.Readiness is not null)
            _readiness = new SocketReadiness(socket);
    }

    protected override void StartIo()
    {
        try
        {
            _readiness?.Register();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The set refused it (out of kernel memory) or the socket is already gone (reset before the start).
            End("Connection aborted");
            return;
        }
        _ = RunAsync();
    }

    /// <summary>
    /// The end of <see cref="RunAsync"/> (SocketConnection.Receive.cs), whatever ended it: closes the socket and
    /// reports the end, exactly once.
    /// </summary>
    private void End(string reason)
    {
        // Bytes never written cannot be delivered any more: reset rather than pretend a graceful close.
        if (StopOutbound() > 0)
            ResetSocket();
        ReleaseInput();
        _tls?.Dispose();
        _readiness?.Deregister();
        _socket.Dispose();
        _readiness?.WakeWaiters();
        Finish(reason);
    }

    protected override int KernelReceiveQueueBytes => KernelQueue.ReceiveBytes(_socket);

    /// <summary>RST: linger 0 then close; a pending receive or send completes at once.</summary>
    protected override void ResetSocket()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _readiness?.Deregister();
        _socket.Dispose();
        _readiness?.WakeWaiters();
    }
}
