using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One vectored send, awaitable (Kestrel's SocketSender): a <see cref="SocketAsyncEventArgs"/> borrowed from
/// <see cref="WriterPool{T}"/> for one drain, on the .NET socket engine only (ServerOptions.SocketEngine = dotnet;
/// the epoll engine and TLS send a <see cref="WriteBatch"/> their own way and borrow none). A connection that is not
/// writing holds none: the socket's own send state (<c>Socket.SendAsync</c> caches one per socket, and with it the
/// buffers of its last send) would otherwise stay with every idle connection. Reused, it allocates nothing per send.
/// </summary>
internal sealed class SocketSender : SocketAsyncEventArgs, IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _completion;

    /// <summary>Sends <paramref name="batch"/> (one sendmsg with an iovec); completes with the bytes sent.</summary>
    public ValueTask<int> SendAsync(Socket socket, List<ArraySegment<byte>> batch)
    {
        if (batch.Count == 1)
            SetBuffer(batch[0].Array, batch[0].Offset, batch[0].Count);
        else
            BufferList = batch; // copied into the event args' own list
        _completion.Reset();
        if (socket.SendAsync(this))
            return new ValueTask<int>(this, _completion.Version);
        return SocketError == SocketError.Success
            ? new ValueTask<int>(BytesTransferred)
            : ValueTask.FromException<int>(new SocketException((int)SocketError));
    }

    /// <summary>Drops every reference to what was sent, so a pooled sender keeps no client's bytes alive.</summary>
    public void Reset()
    {
        if (BufferList is not null)
            BufferList = null;
        else if (Buffer is not null)
            SetBuffer(null, 0, 0);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (SocketError == SocketError.Success)
            _completion.SetResult(BytesTransferred);
        else
            _completion.SetException(new SocketException((int)SocketError));
    }

    int IValueTaskSource<int>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
