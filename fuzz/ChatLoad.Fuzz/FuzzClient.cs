using System.Net;
using System.Text.Unicode;
using ChatLoad.Irc;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Transports;

namespace ChatLoad.Fuzz;

/// <summary>
/// One fuzzed client: the transport's side of a connection without a socket. Input goes through an
/// <see cref="IrcLineFramer"/> exactly as the threads transport frames a receive buffer; everything the core sends is
/// checked line by line and then forgotten (so a long script does not hold its output). Like a real transport, a
/// close asked for inside a command is reported back to the core after that command returns, never from inside it.
/// </summary>
internal sealed class FuzzClient : IClientConnection
{
    private static long s_nextId;
    private readonly byte[] _buffer = new byte[4096]; // BlockingConnection.ReceiveBufferBytes
    private IrcLineFramer _framer;
    private int _filled;
    private IConnectionSession? _session;
    private string? _closeReason;
    private bool _disconnectReported;

    public long Id { get; } = Interlocked.Increment(ref s_nextId);
    public EndPoint? RemoteEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 40000);

    public bool IsClosed => _closeReason is not null || _session is null;

    public static FuzzClient Connect(ChatServer server, ServerOptions options)
    {
        var client = new FuzzClient();
        client._session = server.OnConnected(client);
        return client;
    }

    public void Receive(ReadOnlySpan<byte> bytes, bool oneBytePerRead)
    {
        if (oneBytePerRead)
        {
            foreach (byte b in bytes)
                ReceiveOnce([b]);
        }
        else
        {
            while (!bytes.IsEmpty)
            {
                int take = Math.Min(bytes.Length, _buffer.Length - _filled);
                ReceiveOnce(bytes[..take]);
                bytes = bytes[take..];
            }
        }
    }

    // One socket read: frame every complete line and hand it over, keep the partial one (BlockingConnection's loop).
    private void ReceiveOnce(ReadOnlySpan<byte> read)
    {
        if (_session is null || _closeReason is not null)
            return;
        read.CopyTo(_buffer.AsSpan(_filled));
        _filled += read.Length;
        int start = 0;
        while (_closeReason is null)
        {
            LineFrameResult result = _framer.TryReadLine(_buffer.AsSpan(start, _filled - start), out int consumed, out ReadOnlySpan<byte> line);
            start += consumed;
            if (result == LineFrameResult.NeedMoreData)
                break;
            long before = GC.GetAllocatedBytesForCurrentThread();
            if (result == LineFrameResult.Line)
                _session.OnLine(line);
            else
                _session.OnLineTooLong();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > SessionScript.MaxAllocatedBytesPerLine)
                throw new BoundBroken($"one line allocated {allocated} bytes (bound {SessionScript.MaxAllocatedBytesPerLine})");
        }
        _filled -= start;
        _buffer.AsSpan(start, _filled).CopyTo(_buffer);
        if (_filled > IrcLimits.MaxLineBytes)
            throw new BoundBroken($"{_filled} bytes of partial input kept (bound {IrcLimits.MaxLineBytes})");
        ReportCloseIfAsked();
    }

    /// <summary>The peer went away (or the script ended): the core hears of it once.</summary>
    public void Drop(string reason)
    {
        _closeReason ??= reason;
        ReportCloseIfAsked();
    }

    public void CheckBounds(ServerOptions options)
    {
        ReportCloseIfAsked();
        if (_session is ClientSession session && session.HeldLineCount > options.FloodMaxQueuedLines)
            throw new BoundBroken($"{session.HeldLineCount} lines held (bound {options.FloodMaxQueuedLines})");
    }

    public void Send(ReadOnlyMemory<byte> lines)
    {
        if (_disconnectReported)
            throw new BoundBroken("a line was sent to a connection after its disconnect was reported");
        CheckLines(lines.Span);
    }

    public void Close(string reason)
    {
        _closeReason ??= reason;
        CheckLines(ServerReplies.Error(reason)); // what the transport will write
    }

    // The fuzzed client reads everything at once: its backlog is always empty, so a streamed reply never has to
    // wait and nothing ever pauses its input for a drain. A pause until a time (flood control) is not waited out:
    // the next fuzzed line comes at once, as if the client's bytes had waited in the socket until then.
    public long QueuedBytes => 0;

    public bool PauseInputUntilDrained(long queuedBytesAtMost) => false;

    public void PauseInputUntil(long resumeAtTimestamp) { }

    public long UnreadInputBytes => 0;

    public int UnreadInputLines => 0;

    private void ReportCloseIfAsked()
    {
        if (_closeReason is null || _disconnectReported || _session is null)
            return;
        _disconnectReported = true;
        _session.OnDisconnected(_closeReason);
    }

    private static void CheckLines(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2 || bytes[^2] != (byte)'\r' || bytes[^1] != (byte)'\n')
            throw new BoundBroken("a Send did not end with CRLF");
        while (!bytes.IsEmpty)
        {
            int lf = bytes.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = bytes[..(lf + 1)];
            if (line.Length > IrcLimits.MaxLineBytes)
                throw new BoundBroken($"a {line.Length}-byte line was sent");
            if (line.Length < 3 || line[^2] != (byte)'\r')
                throw new BoundBroken("a line without CR before LF, or an empty line, was sent");
            ReadOnlySpan<byte> body = line[..^2];
            if (body.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
                throw new BoundBroken("CR, LF or NUL inside a sent line");
            if (!Utf8.IsValid(body))
                throw new BoundBroken("a sent line is not valid UTF-8 (enforce-utf8 is on)");
            bytes = bytes[(lf + 1)..];
        }
    }
}
