using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One vectored send, awaitable (Kestrel's SocketSender): a <see cref="SocketAsyncEventArgs"/> with its batch,
/// borrowed from <see cref="SocketSenderPool"/> for one drain. A connection that is not writing holds none: the
/// socket's own send state (<c>Socket.SendAsync</c> caches one per socket, and with it the buffers of its last
/// send) would otherwise stay with every idle connection. Reused, it allocates nothing per send. With our own
/// readiness (ServerOptions.SocketEngine = epoll) only its <see cref="Batch"/> is used: SocketReadiness sends it.
/// </summary>
internal sealed class SocketSender : SocketAsyncEventArgs, IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _completion;

    /// <summary>The segments of the next send (filled by the connection's TakeBatch).</summary>
    public List<ArraySegment<byte>> Batch { get; } = new(TransportConnection.MaxSegmentsPerWrite);

    /// <summary>Sends <see cref="Batch"/> (one sendmsg with an iovec); completes with the bytes sent.</summary>
    public ValueTask<int> SendAsync(Socket socket)
    {
        if (Batch.Count == 1)
            SetBuffer(Batch[0].Array, Batch[0].Offset, Batch[0].Count);
        else
            BufferList = Batch;
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
        Batch.Clear();
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
