using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadClient;

// The send path: one writer at a time (an async lock), each line written whole, so lines from the scenario and
// PONG replies from the receive loop never interleave. Lines are formatted into a pooled buffer inside the lock,
// which is also what makes a sender's sequence numbers go out in the order they were assigned.
public sealed partial class IrcLoadClient
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _nextSequence;

    /// <summary>Chat messages this client has sent (its next sequence number).</summary>
    public long SentMessages => Volatile.Read(ref _nextSequence);

    /// <summary>
    /// Sends <c>PRIVMSG &lt;target&gt; :&lt;id&gt; &lt;seq&gt; &lt;timestamp&gt; &lt;padding&gt;</c>. The sequence number and
    /// timestamp are taken inside the send lock, right before the write. Returns the bytes written.
    /// </summary>
    public async ValueTask<int> SendChatMessageAsync(string target, int paddingBytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(IrcLimits.MaxLineBytes);
        try
        {
            int n = Encoding.ASCII.GetBytes("PRIVMSG ", buffer);
            n += Encoding.UTF8.GetBytes(target, buffer.AsSpan(n));
            buffer[n++] = (byte)' ';
            buffer[n++] = (byte)':';
            int payload = ChatPayload.Format(buffer.AsSpan(n, IrcLimits.MaxLineBodyBytes - n), Id, _nextSequence, _options.Time.GetTimestamp(), paddingBytes);
            if (payload < 0)
                throw new ArgumentException($"message to '{target}' with {paddingBytes} bytes of padding does not fit in one IRC line");
            n += payload;
            buffer[n++] = (byte)'\r';
            buffer[n++] = (byte)'\n';
            // The write itself is not cancelled: a line cut short would corrupt the stream for every later line.
            await WriteAsync(buffer.AsMemory(0, n), CancellationToken.None);
            _nextSequence++;
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _sendLock.Release();
        }
    }

    /// <summary>Sends one or more complete CRLF-terminated lines.</summary>
    public async ValueTask SendLineAsync(string lines, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(lines);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask SendPingAsync(long sequence, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64);
        try
        {
            int n = Encoding.ASCII.GetBytes("PING ", buffer);
            Utf8Formatter.TryFormat(sequence, buffer.AsSpan(n), out int written);
            n += written;
            buffer[n++] = (byte)'\r';
            buffer[n++] = (byte)'\n';
            await WriteAsync(buffer.AsMemory(0, n), CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _sendLock.Release();
        }
    }

    // Caller holds the send lock. Cancelling a write may leave half a line on the wire, so it closes the connection.
    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new LoadClientException(FailureReasons.Closed, $"{this}: not connected");
        if (_closeStatus is { } status)
            throw new LoadClientException(status, $"{this}: connection already ended ({status})");
        try
        {
            while (!bytes.IsEmpty)
            {
                int sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
                bytes = bytes[sent..];
            }
        }
        catch (OperationCanceledException e)
        {
            Abort();
            throw new LoadClientException(FailureReasons.Timeout, $"{this}: send cancelled; connection closed", e);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new LoadClientException(_closeStatus ?? FailureReasons.Classify(e), $"{this}: send failed: {e.Message}", e);
        }
    }
}
