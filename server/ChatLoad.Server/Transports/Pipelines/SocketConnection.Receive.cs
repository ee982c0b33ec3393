using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using ChatLoad.Irc;

namespace ChatLoad.Server.Transports.Pipelines;

internal sealed partial class SocketConnection
{
    /// <summary>
    /// Input buffered per connection before the receive loop stops reading the socket (and TCP pushes back on the
    /// peer): Kestrel's MaxReadBufferSize shape. 8 KiB is ~16 full lines: a burst is absorbed, a flood is not.
    /// </summary>
    internal const int MaxInputBufferBytes = 8 * 1024;

    /// <summary>Smallest buffer rented per receive once data is known to be waiting.</summary>
    private const int MinimumReceiveBytes = 2048;

    private static readonly PipeOptions InputPipeOptions = new(
        pauseWriterThreshold: MaxInputBufferBytes,
        resumeWriterThreshold: MaxInputBufferBytes / 2,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        minimumSegmentSize: MinimumReceiveBytes,
        useSynchronizationContext: false);

    private readonly Pipe _input;

    // Socket → pipe. Returns why the connection ended.
    private async Task<string> ReceiveLoopAsync()
    {
        PipeWriter writer = _input.Writer;
        string reason = "Connection closed by peer";
        try
        {
            while (true)
            {
                // Wait for data with a zero-byte read before renting memory: an idle client then holds no
                // receive buffer at all, which is what lets this model keep many thousands of idle clients cheaply.
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);

                Memory<byte> memory = writer.GetMemory(MinimumReceiveBytes);
                int received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                    break;
                writer.Advance(received);
                _metrics.BytesReceived(received);

                // Backpressure: this await stays pending while the pipe holds MaxInputBufferBytes unprocessed.
                FlushResult flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                    break;
            }
        }
        catch (SocketException ex)
        {
            reason = ex.SocketErrorCode == SocketError.ConnectionReset ? "Connection reset by peer" : "Connection aborted";
        }
        catch (ObjectDisposedException)
        {
            reason = "Connection aborted";
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        return _closeReason ?? reason;
    }

    // Pipe → framer → core, in arrival order. Returns null when input ended normally, or a reason when the core failed.
    private async Task<string?> ProcessLinesAsync(IConnectionSession session)
    {
        PipeReader reader = _input.Reader;
        var framer = new IrcLineFramer();
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    DeliverLines(session, ref framer, ref buffer);
                }
                finally
                {
                    // Examined everything: the next ReadAsync waits for new bytes rather than spinning on a partial line.
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
                if (result.IsCompleted || result.IsCanceled)
                    return null;
            }
        }
        catch (Exception ex)
        {
            PipelinesLog.ConnectionFailed(_logger, Id, ex);
            return "Internal error";
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void DeliverLines(IConnectionSession session, ref IrcLineFramer framer, ref ReadOnlySequence<byte> buffer)
    {
        while (!IsClosing)
        {
            LineFrameResult frame = framer.TryReadLine(ref buffer, out ReadOnlySequence<byte> line);
            if (frame == LineFrameResult.NeedMoreData)
                return;
            if (frame == LineFrameResult.LineTooLong)
            {
                session.OnLineTooLong();
                continue;
            }
            if (line.IsSingleSegment)
            {
                session.OnLine(line.FirstSpan);
            }
            else
            {
                DeliverSplitLine(session, line);
            }
        }
    }

    // A line split across pipe segments: copy it (at most 510 bytes) to the stack, no allocation.
    private static void DeliverSplitLine(IConnectionSession session, in ReadOnlySequence<byte> line)
    {
        Span<byte> copy = stackalloc byte[IrcLimits.MaxLineBodyBytes];
        line.CopyTo(copy);
        session.OnLine(copy[..(int)line.Length]);
    }
}
