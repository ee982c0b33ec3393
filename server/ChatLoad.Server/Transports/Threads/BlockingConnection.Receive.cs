using System.Net.Sockets;
using ChatLoad.Irc;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Threads;

internal sealed partial class BlockingConnection
{
    /// <summary>
    /// Fixed receive buffer per connection. 4 KiB holds any partial line (at most 511 bytes are kept between reads,
    /// the framer drops the rest of an over-long line) plus a burst of whole lines, so one Receive call usually
    /// brings several commands.
    /// </summary>
    internal const int ReceiveBufferBytes = 4096;

    /// <summary>
    /// The body of this connection's dedicated thread: asks the core for a session, then reads with blocking calls
    /// and hands every framed line to it, in order, until the peer or the server ends the connection.
    /// </summary>
    public void RunReceiveThread(IConnectionAcceptor acceptor)
    {
        IConnectionSession? session = null;
        string reason = "Connection closed";
        try
        {
            session = acceptor.OnConnected(this);
            if (session is null)
            {
                ThreadsLog.RefusedByCore(_logger, Id);
                _metrics.ConnectionRefused();
                ConnectionRefusal.Refuse(_socket);
                return;
            }
            _metrics.ConnectionOpened();
            reason = ReceiveLines(session);
        }
        catch (Exception ex)
        {
            // A bug in the core must cost one connection, never the process (an unhandled exception on a
            // thread would terminate it).
            reason = "Internal error";
            ThreadsLog.ConnectionFailed(_logger, Id, ex);
        }
        finally
        {
            MarkClosed();
            _socket.Dispose();
            if (session is not null)
            {
                _metrics.ConnectionClosed();
                try
                {
                    session.OnDisconnected(_closeReason ?? reason);
                }
                catch (Exception ex)
                {
                    ThreadsLog.ConnectionFailed(_logger, Id, ex);
                }
            }
            _onClosed(this);
        }
    }

    private string ReceiveLines(IConnectionSession session)
    {
        byte[] buffer = new byte[ReceiveBufferBytes];
        int filled = 0;
        var framer = new IrcLineFramer();
        while (true)
        {
            int received = _socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
                return DescribeReceiveEnd(error);
            if (received == 0)
                return "Connection closed by peer";
            _metrics.BytesReceived(received);
            filled += received;

            int start = 0;
            while (!IsClosing)
            {
                LineFrameResult result = framer.TryReadLine(buffer.AsSpan(start, filled - start), out int consumed, out ReadOnlySpan<byte> line);
                start += consumed;
                if (result == LineFrameResult.Line)
                    session.OnLine(line);
                else if (result == LineFrameResult.LineTooLong)
                    session.OnLineTooLong();
                else
                    break;
            }

            // Keep the partial line (at most 511 bytes: the framer consumes the rest of an over-long line).
            filled -= start;
            if (filled > 0 && start > 0)
                Buffer.BlockCopy(buffer, start, buffer, 0, filled);
        }
    }

    private string DescribeReceiveEnd(SocketError error) => error switch
    {
        _ when _closeReason is not null => _closeReason,
        SocketError.ConnectionReset => "Connection reset by peer",
        SocketError.Shutdown or SocketError.OperationAborted or SocketError.Interrupted => "Connection aborted",
        _ => "Read error: " + error,
    };
}
