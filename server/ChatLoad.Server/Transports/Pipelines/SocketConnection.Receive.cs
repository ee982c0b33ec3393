using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using ChatLoad.Irc;

namespace ChatLoad.Server.Transports.Pipelines;

internal sealed partial class SocketConnection
{
    /// <summary>Smallest buffer rented per receive once data is known to be waiting.</summary>
    internal const int MinimumReceiveBytes = 2048;

    private Pipe? _input; // only while a partial line is pending or a burst is being handled

    /// <summary>
    /// The connection's one async method, run to its end: socket → pipe → framer → core, in arrival order, until
    /// the peer or the server ends it; then <see cref="End"/> closes the socket and reports why, exactly once. One
    /// method, so an idle connection is one suspended state machine (two nested ones cost 120 bytes more per idle
    /// client). Read-side backpressure is the loop's shape (ngircd's): the socket is not read again until every
    /// complete line already received has been handled — and, while the core has paused this client's input, not
    /// until the pause is over — so a client that floods waits on TCP, not on our memory; the pipe never holds
    /// more than one receive plus a partial line. The state machine is the idle client's largest object of ours
    /// (256 bytes at 19,000 idle clients), so what need not outlive an await does not: the zero-byte wait's result is
    /// taken before the yield, the pipe's flush (synchronous here) is awaited only in a helper when it is not, and the
    /// handshake's outcome decides once, before the loop.
    /// </summary>
    private async Task RunAsync()
    {
        string reason;
        try
        {
            // TLS: the handshake first, awaited, bounded by its timeout (which resets the socket); a failed one
            // ends the connection before any line.
            string? handshakeFailure = _tls is null ? null : await _tls.AuthenticateAsync(Context.Time, ResetSocket).ConfigureAwait(false);
            reason = handshakeFailure ?? "Connection closed";
            if (handshakeFailure is null)
            {
                IConnectionSession session = Session;
                var framer = new IrcLineFramer();
                while (true)
                {
                    // Wait for data before renting anything: an idle client then holds no receive buffer and no
                    // pipe, which is what lets this model keep many idle clients cheaply. With .NET's engine the wait
                    // is a zero-byte read; with our own readiness (epoll engine), the socket's next edge.
                    if (_readiness is null)
                    {
                        ValueTask<int> dataWaiting = ReceiveAsync(Memory<byte>.Empty);
                        if (dataWaiting.IsCompleted)
                        {
                            // More input is already there. Yield to the thread pool's queue, where the writers' pass
                            // that this client's lines woke (WriterRunQueue) waits: a client whose input never runs
                            // dry would otherwise keep the thread, and its recipients' queues would pass their SendQ
                            // before their writers ran.
                            dataWaiting.GetAwaiter().GetResult();
                            await Task.Yield();
                        }
                        else
                        {
                            await dataWaiting.ConfigureAwait(false);
                        }
                    }
                    else if (_readiness.MayHaveMoreInput)
                    {
                        // The last read filled its buffer: more may be there without a new edge. Yield, for the same
                        // reason (here the thread is the engine's batch, and every connection after this one in it).
                        await Task.Yield();
                    }
                    else
                    {
                        await _readiness.WaitReadableAsync().ConfigureAwait(false);
                    }

                    Pipe pipe;
                    Memory<byte> memory;
                    int received;
                    if (_readiness is null)
                    {
                        pipe = _input ??= PipePool.Shared.Rent();
                        memory = pipe.Writer.GetMemory(MinimumReceiveBytes);
                        received = await ReceiveAsync(memory).ConfigureAwait(false);
                    }
                    else if ((received = ReceiveReady(out pipe, out memory)) < 0)
                    {
                        continue; // the edge's bytes were already taken by an earlier full read: wait again
                    }
                    if (received == 0)
                    {
                        reason = "Connection closed by peer";
                        break;
                    }
                    CountReceivedLines(memory.Span[..received]);
                    pipe.Writer.Advance(received);
                    Context.Metrics.BytesReceived(received);
                    // Completes synchronously: nothing waits on the reader side, and the unread part stays far below
                    // the pipe's pause threshold (see PipePool.Options).
                    ValueTask<FlushResult> flush = pipe.Writer.FlushAsync();
                    if (flush.IsCompleted)
                        flush.GetAwaiter().GetResult();
                    else
                        await AwaitFlushAsync(flush).ConfigureAwait(false);

                    bool partialLine = false;
                    while (pipe.Reader.TryRead(out ReadResult result))
                    {
                        ReadOnlySequence<byte> buffer = result.Buffer;
                        if (IsClosing)
                        {
                            // Closing: input is read only to notice the peer's close, and discarded.
                            pipe.Reader.AdvanceTo(buffer.End);
                            break;
                        }
                        DeliverLines(session, ref framer, ref buffer);
                        if (!IsInputPaused)
                        {
                            partialLine = !buffer.IsEmpty;
                            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
                            break;
                        }
                        // Paused mid-burst: keep the undelivered lines readable, wait, then deliver them.
                        pipe.Reader.AdvanceTo(buffer.Start);
                        await WaitWhileInputPausedAsync(session).ConfigureAwait(false);
                    }
                    if (!partialLine)
                        ReleaseInput(); // no partial line: back to holding nothing
                }
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
        catch (Exception ex)
        {
            // A bug in the core must cost one connection, never the process.
            reason = "Internal error";
            TransportLog.ConnectionFailed(Context.Logger, Id, ex);
        }
        End(reason);
    }

    // Our readiness: one non-blocking recv into the pipe; -1 when nothing was there (EAGAIN), and then the pipe goes
    // back unless a partial line holds it.
    private int ReceiveReady(out Pipe pipe, out Memory<byte> memory)
    {
        bool partialLinePending = _input is not null;
        pipe = _input ??= PipePool.Shared.Rent();
        memory = pipe.Writer.GetMemory(MinimumReceiveBytes);
        int received = _readiness!.Receive(memory.Span);
        if (received < 0 && !partialLinePending)
            ReleaseInput();
        return received;
    }

    // Awaits a flush that did not complete at once (never expected here) through the ValueTask awaiter the loop
    // already has a slot for.
    private static async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush) => await flush.ConfigureAwait(false);

    // The socket's bytes, or through TLS the decrypted ones (SslStream supports the zero-byte wait too).
    private ValueTask<int> ReceiveAsync(Memory<byte> memory) =>
        _tls is null ? _socket.ReceiveAsync(memory, SocketFlags.None) : _tls.ReadAsync(memory);

    // Delivers complete lines until only a partial line is left, or the connection closes, or the core pauses it.
    private void DeliverLines(IConnectionSession session, ref IrcLineFramer framer, ref ReadOnlySequence<byte> buffer)
    {
        while (!IsClosing && !IsInputPaused)
        {
            LineFrameResult frame = framer.TryReadLine(ref buffer, out ReadOnlySequence<byte> line);
            if (frame == LineFrameResult.NeedMoreData)
                return;
            DeliveringLine();
            if (frame == LineFrameResult.LineTooLong)
                session.OnLineTooLong();
            else if (line.IsSingleSegment)
                session.OnLine(line.FirstSpan);
            else
                DeliverSplitLine(session, line);
        }
    }

    // A line split across pipe segments: copy it (at most 510 bytes) to the stack, no allocation.
    private static void DeliverSplitLine(IConnectionSession session, in ReadOnlySequence<byte> line)
    {
        Span<byte> copy = stackalloc byte[IrcLimits.MaxLineBodyBytes];
        line.CopyTo(copy);
        session.OnLine(copy[..(int)line.Length]);
    }

    private void ReleaseInput()
    {
        Pipe? pipe = _input;
        _input = null;
        if (pipe is not null)
            PipePool.Shared.Return(pipe);
    }
}
