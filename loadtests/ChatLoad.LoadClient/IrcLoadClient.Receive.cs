using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.LoadClient;

// The receive path: wait for data with a zero-byte read, then rent a buffer, frame lines with IrcLineFramer,
// handle each, return the buffer. An incomplete line (at most 511 bytes: the framer drops longer ones) waits in a
// small per-client carry array for the next read.
public sealed partial class IrcLoadClient
{
    private TaskCompletionSource? _readGate;
    private volatile bool _waitingAtPause;

    /// <summary>True while the receive loop sits at the pause (nothing is being read).</summary>
    internal bool IsWaitingAtPause => _waitingAtPause;

    /// <summary>Stops reading from the socket (after the read in progress): the slow-consumer scenario's stuck client.
    /// TCP then pushes back on the server, whose send queue for this client fills.</summary>
    public void PauseReading() =>
        Interlocked.CompareExchange(ref _readGate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Reads again (drains what piled up; the server may have closed the connection meanwhile).</summary>
    public void ResumeReading() => Interlocked.Exchange(ref _readGate, null)?.TrySetResult();

    private async Task ReceiveLoopAsync(Socket socket)
    {
        await Task.Yield(); // run the loop off the connecting caller's stack
        var framer = new IrcLineFramer();
        byte[]? carry = null;
        int carryLength = 0;
        string status = FailureReasons.Closed;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _readGate) is { } gate)
                {
                    _waitingAtPause = true;
                    await gate.Task;
                    _waitingAtPause = false;
                }

                // Idle clients wait here holding no buffer (Kestrel's WaitForDataBeforeAllocatingBuffer).
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

                byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_options.ReadChunkBytes, 2 * IrcLimits.MaxLineBytes));
                byte[]? pongReply;
                try
                {
                    int start = carryLength;
                    if (carryLength > 0)
                        carry.AsSpan(0, carryLength).CopyTo(buffer);
                    int read = await socket.ReceiveAsync(buffer.AsMemory(start), SocketFlags.None);
                    if (read == 0)
                    {
                        status = ServerError is { } error ? FailureReasons.FromServerError(error) : FailureReasons.Closed;
                        return;
                    }
                    int end = start + read;
                    int consumed = HandleLines(ref framer, buffer.AsSpan(0, end), out pongReply);
                    carryLength = end - consumed;
                    if (carryLength > 0)
                    {
                        carry ??= new byte[IrcLimits.MaxLineBytes];
                        buffer.AsSpan(consumed, carryLength).CopyTo(carry);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (pongReply is not null)
                    await ReplyToServerPingAsync(pongReply);
            }
        }
        catch (Exception e)
        {
            // Any failure ends this connection only; it is reported as the close status, never thrown further.
            status = ServerError is { } error ? FailureReasons.FromServerError(error) : FailureReasons.Classify(e);
        }
        finally
        {
            if (_closingByClient)
                status = "quit";
            _closeStatus = status;
            FailPendingReplies(status, ServerError is { } error ? $"connection ended: ERROR {error}" : $"connection ended ({status})");
            _options.Observer.OnClosed(this, status);
        }
    }

    // Handles every complete line in the buffer; returns the bytes consumed. A server PING's reply is handed back
    // rather than sent here, because sending is async and this method works on a span.
    private int HandleLines(ref IrcLineFramer framer, ReadOnlySpan<byte> data, out byte[]? pongReply)
    {
        pongReply = null;
        int total = 0;
        while (true)
        {
            var result = framer.TryReadLine(data[total..], out int consumed, out ReadOnlySpan<byte> line);
            total += consumed;
            if (result == LineFrameResult.NeedMoreData)
                return total;
            if (result == LineFrameResult.Line && IrcMessage.TryParse(line, out var message))
                HandleMessage(message, ref pongReply);
        }
    }

    private void HandleMessage(IrcMessage message, ref byte[]? pongReply)
    {
        var command = message.Command;
        int last = message.ParameterCount - 1;
        if (command.SequenceEqual("PRIVMSG"u8))
        {
            if (last >= 1)
                _options.Observer.OnChatMessage(this, message[last]);
        }
        else if (command.SequenceEqual("PONG"u8))
        {
            if (last >= 0 && Utf8Parser.TryParse(message[last], out long sequence, out int used) && used == message[last].Length)
            {
                _options.Observer.OnPong(this, sequence);
                if (Interlocked.CompareExchange(ref _pendingPingSequence, -1, sequence) == sequence)
                    Volatile.Read(ref _pong)?.TrySetResult();
            }
        }
        else if (command.SequenceEqual("PING"u8))
        {
            pongReply = BuildPong(last >= 0 ? message[last] : default);
        }
        else if (command.SequenceEqual("001"u8))
        {
            Volatile.Read(ref _welcome)?.TrySetResult();
        }
        else if (command.SequenceEqual("366"u8))
        {
            if (message.ParameterCount >= 2)
                CompleteJoin(message[1], failure: null);
        }
        else if (command.SequenceEqual("PART"u8))
        {
            if (message.ParameterCount >= 1 && IsFromMe(message.Source))
                CompletePart(message[0]);
        }
        else if (command.SequenceEqual("ERROR"u8))
        {
            ServerError = last >= 0 ? message.GetString(last) : "";
            var status = FailureReasons.FromServerError(ServerError);
            FailPendingReplies(status, "ERROR " + ServerError);
        }
        else if (command.Length == 3 && command[0] is (byte)'4' or (byte)'5')
        {
            HandleErrorNumeric(message);
        }
    }

    // 433 and friends during registration, 403/405/471... for a JOIN: fail whoever waits, with the numeric as status.
    private void HandleErrorNumeric(IrcMessage message)
    {
        string numeric = Encoding.ASCII.GetString(message.Command);
        string text = message.ParameterCount > 0 ? message.GetString(message.ParameterCount - 1) : "";
        var welcome = Volatile.Read(ref _welcome);
        if (welcome is not null && !welcome.Task.IsCompleted && numeric is "431" or "432" or "433" or "436" or "451" or "461" or "462" or "464" or "465")
        {
            string status = numeric == IrcNumerics.ErrNicknameInUse ? "nick in use" : "numeric " + numeric;
            welcome.TrySetException(new LoadClientException(status, $"{this}: registration refused: {numeric} {text}"));
            return;
        }
        if (message.ParameterCount >= 2)
            CompleteJoin(message[1], new LoadClientException("numeric " + numeric, $"{this}: {numeric} {text}"));
    }

    private void CompleteJoin(ReadOnlySpan<byte> channelBytes, LoadClientException? failure)
    {
        lock (_pendingJoins)
        {
            if (_pendingJoins.Count == 0)
                return;
            string channel = Encoding.UTF8.GetString(channelBytes);
            if (!_pendingJoins.Remove(channel, out var pending))
                return;
            if (failure is null)
                pending.TrySetResult();
            else
                pending.TrySetException(failure);
        }
    }

    // The prefix of a line about this client's own action: "nick!user@host" or just "nick".
    private bool IsFromMe(ReadOnlySpan<byte> prefix)
    {
        int bang = prefix.IndexOf((byte)'!');
        var nick = bang >= 0 ? prefix[..bang] : prefix;
        return System.Text.Ascii.EqualsIgnoreCase(nick, Nick);
    }

    private void CompletePart(ReadOnlySpan<byte> channelBytes)
    {
        lock (_pendingJoins)
        {
            if (_pendingParts.Count == 0)
                return;
            if (_pendingParts.Remove(Encoding.UTF8.GetString(channelBytes), out var pending))
                pending.TrySetResult();
        }
    }

    private static byte[] BuildPong(ReadOnlySpan<byte> token)
    {
        var reply = new byte[token.Length + 8];
        "PONG :"u8.CopyTo(reply);
        token.CopyTo(reply.AsSpan(6));
        reply[^2] = (byte)'\r';
        reply[^1] = (byte)'\n';
        return reply;
    }

    private async Task ReplyToServerPingAsync(byte[] reply)
    {
        await _sendLock.WaitAsync();
        try
        {
            await WriteAsync(reply, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
