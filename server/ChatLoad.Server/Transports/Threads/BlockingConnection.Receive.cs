using System.Net.Sockets;
using ChatLoad.Irc;

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
    /// The body of the read thread: reads with blocking calls and hands every framed line to the session, in
    /// order, until the peer or the server ends the connection; then stops the writer and reports the end once.
    /// </summary>
    private void RunReceiveThread()
    {
        IConnectionSession session = Session;
        string reason = "Connection closed";
        try
        {
            // TLS: the handshake first, on this thread, bounded by its timeout (which resets the socket).
            reason = _tls?.Authenticate(Context.Time, ResetSocket) ?? ReceiveLines(session);
        }
        catch (Exception ex)
        {
            // A bug in the core must cost one connection, never the process (an unhandled exception on a
            // thread would terminate it).
            reason = "Internal error";
            TransportLog.ConnectionFailed(Context.Logger, Id, ex);
        }
        finally
        {
            // Bytes never written mean the writer may be blocked on a peer that stopped reading: only a reset
            // frees it. Otherwise the writer is idle or done and a plain close is a FIN.
            if (StopOutbound() > 0)
                ResetSocket();
            JoinWriter();
            _tls?.Dispose();
            _socket.Dispose();
            Finish(reason);
        }
    }

    private string ReceiveLines(IConnectionSession session)
    {
        byte[] buffer = new byte[ReceiveBufferBytes];
        int filled = 0;
        var framer = new IrcLineFramer();
        try
        {
            while (true)
            {
                int received = _tls is null
                    ? _socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None, out SocketError error)
                    : _tls.Read(buffer, filled, buffer.Length - filled, out error);
                if (error != SocketError.Success)
                    return DescribeReceiveEnd(error);
                if (received == 0)
                    return "Connection closed by peer";
                Context.Metrics.BytesReceived(received);
                CountReceivedLines(buffer.AsSpan(filled, received));
                filled += received;

                int consumed = DeliverLines(session, ref framer, buffer.AsSpan(0, filled));
                YieldToWokenWriters();
                // Keep the partial line (at most 511 bytes: the framer consumes the rest of an over-long line).
                filled -= consumed;
                if (filled > 0 && consumed > 0)
                    Buffer.BlockCopy(buffer, consumed, buffer, 0, filled);
            }
        }
        catch (ObjectDisposedException)
        {
            return "Connection aborted"; // reset by the deadline or the shutdown while reading
        }
    }

    // Hands the complete lines in data to the session; returns how many bytes were used. While the core has
    // paused this client's input, this (its own) thread waits here: its bytes stay in the socket meanwhile. Once
    // the connection is closing, input is read only to notice the peer's close, and discarded.
    private int DeliverLines(IConnectionSession session, ref IrcLineFramer framer, ReadOnlySpan<byte> data)
    {
        int start = 0;
        while (!IsClosing)
        {
            if (IsInputPaused)
            {
                WaitWhileInputPaused(session);
                continue;
            }
            LineFrameResult result = framer.TryReadLine(data[start..], out int consumed, out ReadOnlySpan<byte> line);
            start += consumed;
            if (result != LineFrameResult.NeedMoreData)
                DeliveringLine();
            if (result == LineFrameResult.Line)
                session.OnLine(line);
            else if (result == LineFrameResult.LineTooLong)
                session.OnLineTooLong();
            else
                return start;
        }
        return data.Length;
    }

    private static string DescribeReceiveEnd(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "Connection reset by peer",
        SocketError.Shutdown or SocketError.OperationAborted or SocketError.Interrupted or SocketError.ConnectionAborted => "Connection aborted",
        _ => "Read error: " + error,
    };
}
