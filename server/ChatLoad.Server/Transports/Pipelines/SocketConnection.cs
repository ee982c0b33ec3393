using System.Net;
using System.Net.Sockets;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One client of the async model, in the shape of Kestrel's socket transport: an async receive loop that fills a
/// pipe and frames lines out of its <see cref="System.IO.Pipelines.PipeReader"/> for the core
/// (SocketConnection.Receive.cs), and an on-demand async writer, run as a thread-pool work item, that drains the
/// shared SendQ with vectored sends (SocketConnection.Send.cs). No thread belongs to a connection, and an idle one
/// holds neither a receive buffer, nor a pipe, nor a writer.
/// </summary>
internal sealed partial class SocketConnection : TransportConnection
{
    private readonly Socket _socket;

    public SocketConnection(Socket socket, EndPoint? remoteEndPoint, TransportContext context)
        : base(remoteEndPoint, context)
    {
        _socket = socket;
        socket.NoDelay = true;
    }

    protected override void StartIo() => _ = RunAsync();

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
        _socket.Dispose();
        Finish(reason);
    }

    /// <summary>RST: linger 0 then close; a pending receive or send completes at once.</summary>
    protected override void ResetSocket()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
    }
}
