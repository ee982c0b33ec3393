using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace ChatLoad.Server.Transports.Tls;

/// <summary>
/// One connection's TLS layer: an <see cref="SslStream"/> over its socket, used by the model's own I/O in place of
/// the socket's reads and writes — blocking calls on the client's threads (Threads/), awaited ones read into the
/// pipe (Pipelines/). The outbound state machine, the framer and the core are the same as for a plain connection.
/// </summary>
/// <remarks>
/// The handshake runs first, bounded by <see cref="TlsEndpoint.HandshakeTimeout"/> (a timer resets the socket, which
/// ends a blocking or an awaited handshake alike) and counted in <see cref="TlsEndpoint.HandshakesInProgress"/> until
/// it ends either way. One read and one write may run at once on an SslStream, which is exactly what a connection
/// does (its reader and its writer). A batch is copied into one buffer and written with one call, so it becomes one
/// TLS record and one syscall rather than one per queued line.
/// </remarks>
internal sealed class TlsChannel : IDisposable
{
    private readonly TlsEndpoint _endpoint;
    private readonly SslStream _stream;
    private int _handshakeCounted = 1; // TryBeginHandshake was called for this connection at accept
    private volatile bool _authenticated;
    private Action? _onHandshakeTimeout;

    public TlsChannel(Socket socket, TlsEndpoint endpoint)
    {
        _endpoint = endpoint;
        _stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: true);
    }

    /// <summary>True once the handshake succeeded; before it nothing may be written.</summary>
    public bool IsAuthenticated => _authenticated;

    /// <summary>The threads model's handshake, on the client's own read thread. Returns null, or why it failed.</summary>
    public string? Authenticate(TimeProvider time, Action resetSocket)
    {
        using ITimer timeout = time.CreateTimer(static state => ((TlsChannel)state!).OnHandshakeTimeout(), this, _endpoint.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        _onHandshakeTimeout = resetSocket;
        try
        {
            _stream.AuthenticateAsServer(_endpoint.Authentication);
            _authenticated = true;
            return null;
        }
        catch (Exception ex) when (IsHandshakeFailure(ex))
        {
            return DescribeHandshakeFailure(ex);
        }
        finally
        {
            EndHandshake();
        }
    }

    /// <summary>The async model's handshake, awaited (no thread held). Returns null, or why it failed.</summary>
    public async ValueTask<string?> AuthenticateAsync(TimeProvider time, Action resetSocket)
    {
        using ITimer timeout = time.CreateTimer(static state => ((TlsChannel)state!).OnHandshakeTimeout(), this, _endpoint.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        _onHandshakeTimeout = resetSocket;
        try
        {
            await _stream.AuthenticateAsServerAsync(_endpoint.Authentication, CancellationToken.None).ConfigureAwait(false);
            _authenticated = true;
            return null;
        }
        catch (Exception ex) when (IsHandshakeFailure(ex))
        {
            return DescribeHandshakeFailure(ex);
        }
        finally
        {
            EndHandshake();
        }
    }

    /// <summary>Reads decrypted bytes (0 at the end of the stream); a zero-length buffer waits for data holding none.</summary>
    public int Read(byte[] buffer, int offset, int count, out SocketError error)
    {
        error = SocketError.Success;
        try
        {
            return _stream.Read(buffer, offset, count);
        }
        catch (IOException ex)
        {
            error = ErrorOf(ex);
            return 0;
        }
    }

    /// <inheritdoc cref="Read"/>
    /// <exception cref="SocketException">The connection failed (reset, aborted, a TLS error).</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        try
        {
            return await _stream.ReadAsync(buffer).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SocketException((int)ErrorOf(ex));
        }
    }

    /// <summary>Writes <paramref name="batch"/> (<paramref name="bytes"/> in all) as one record; the threads model's writer.</summary>
    public SocketError Write(List<ArraySegment<byte>> batch, long bytes)
    {
        if (!_authenticated)
            return SocketError.NotConnected; // a close asked for during the handshake: there is no TLS session to write to
        byte[] buffer = Gather(batch, (int)bytes);
        try
        {
            _stream.Write(buffer, 0, (int)bytes);
            return SocketError.Success;
        }
        catch (IOException ex)
        {
            return ErrorOf(ex);
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="Write"/>, awaited; the async model's writer.</summary>
    /// <exception cref="SocketException">The write failed.</exception>
    public async ValueTask WriteAsync(List<ArraySegment<byte>> batch, long bytes)
    {
        if (!_authenticated)
            throw new SocketException((int)SocketError.NotConnected);
        byte[] buffer = Gather(batch, (int)bytes);
        try
        {
            await _stream.WriteAsync(buffer.AsMemory(0, (int)bytes)).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new SocketException((int)ErrorOf(ex));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Sends TLS close_notify before the FIN, best effort (the peer may be gone); the threads model's writer, which
    /// may block on its own thread. (SslStream has only an async shutdown; the write it makes is one small record.)
    /// </summary>
    public void SendCloseNotify()
    {
        try
        {
            SendCloseNotifyAsync().AsTask().Wait();
        }
        catch (AggregateException) { }
    }

    /// <summary>As <see cref="SendCloseNotify"/>, awaited: the async model's writer.</summary>
    public async ValueTask SendCloseNotifyAsync()
    {
        if (!_authenticated)
            return;
        try
        {
            await _stream.ShutdownAsync().ConfigureAwait(false);
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        catch (InvalidOperationException) { }
    }

    /// <summary>Called when the connection ends: a handshake still counted is over now.</summary>
    public void Dispose()
    {
        EndHandshake();
        try
        {
            _stream.Dispose();
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    // The handshake's slot is free the moment it times out, before the reset reaches the peer: a client that sees
    // the stalled one closed and connects at once must find the slot free.
    private void OnHandshakeTimeout()
    {
        EndHandshake();
        _onHandshakeTimeout?.Invoke();
    }

    private void EndHandshake()
    {
        if (Interlocked.Exchange(ref _handshakeCounted, 0) == 1)
            _endpoint.EndHandshake();
    }

    private static byte[] Gather(List<ArraySegment<byte>> batch, int bytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        int at = 0;
        foreach (ArraySegment<byte> segment in batch)
        {
            segment.AsSpan().CopyTo(buffer.AsSpan(at));
            at += segment.Count;
        }
        return buffer;
    }

    private static bool IsHandshakeFailure(Exception ex) =>
        ex is IOException or AuthenticationException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException;

    private static string DescribeHandshakeFailure(Exception ex) => ex switch
    {
        AuthenticationException => "TLS handshake failed: " + ex.Message,
        _ => "TLS handshake did not complete",
    };

    private static SocketError ErrorOf(IOException ex) =>
        ex.InnerException is SocketException socketError ? socketError.SocketErrorCode : SocketError.ConnectionAborted;
}
