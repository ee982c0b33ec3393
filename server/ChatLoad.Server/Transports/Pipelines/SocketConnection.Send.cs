using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ChatLoad.Server.Transports.Pipelines;

internal sealed partial class SocketConnection
{
    /// <summary>Segments gathered into one vectored send.</summary>
    private const int MaxSegmentsPerSend = 64;

    /// <summary>Bytes gathered into one send.</summary>
    private const int MaxBytesPerSend = 64 * 1024;

    private readonly object _sendLock = new();
    private readonly OutboundQueue _queue;
    private ReadOnlyMemory<byte>[]? _batch;              // allocated on first multi-segment drain, reused after
    private List<ArraySegment<byte>>? _batchSegments;
    private bool _writing;        // guarded by _sendLock: a drain is running
    private bool _closeRequested; // guarded by _sendLock
    private string? _closeReason;
    private ITimer? _closeDeadline;

    private bool IsClosing => Volatile.Read(ref _closeRequested);

    /// <summary>
    /// Queues <paramref name="lines"/> and starts the writer if it is idle. Never blocks: the socket is
    /// non-blocking, so a slow client only makes its own queue grow until SendQ is exceeded.
    /// </summary>
    public void Send(ReadOnlyMemory<byte> lines)
    {
        if (lines.IsEmpty)
            return;
        lock (_sendLock)
        {
            if (_closeRequested)
                return;
            if (!_queue.TryEnqueue(lines))
            {
                _metrics.SlowConsumerDisconnected();
                PipelinesLog.SlowConsumer(_logger, Id, _queue.Bytes);
                RequestCloseLocked(ServerReplies.SendQueueExceededReason, dropQueued: true);
            }
            if (_writing)
                return;
            _writing = true;
        }
        _ = DrainAsync();
    }

    /// <summary>Queues <c>ERROR :reason</c> after what is queued, closes once it is out, aborts if that takes longer than SendTimeout.</summary>
    public void Close(string reason)
    {
        lock (_sendLock)
        {
            if (_closeRequested)
                return;
            RequestCloseLocked(reason, dropQueued: false);
            if (_writing)
                return;
            _writing = true;
        }
        _ = DrainAsync();
    }

    private void RequestCloseLocked(string reason, bool dropQueued)
    {
        _closeRequested = true;
        _closeReason = reason;
        if (dropQueued)
            _queue.Clear();
        _queue.EnqueueUnbounded(ServerReplies.Error(reason));
        // A client that stopped reading would otherwise keep this connection half-closed forever.
        _closeDeadline = _time.CreateTimer(static state => ((SocketConnection)state!).Abort(), this, _closeTimeout, Timeout.InfiniteTimeSpan);
    }

    // The one writer of this connection: runs only while there is something to send, so an idle connection holds
    // no writer state. Started by whoever queued into an idle queue; in the common case the socket takes the bytes
    // at once, the method completes synchronously and nothing is allocated. Only a send that has to wait for the
    // peer suspends it (one state machine until the socket drains). Nobody awaits it: failures end in Abort().
    private async ValueTask DrainAsync()
    {
        try
        {
            while (true)
            {
                int count;
                bool closeAfterwards;
                ReadOnlyMemory<byte> single = default;
                lock (_sendLock)
                {
                    _batch ??= _queue.Count > 1 ? new ReadOnlyMemory<byte>[MaxSegmentsPerSend] : null;
                    count = _batch is null ? _queue.Take(MemoryMarshal.CreateSpan(ref single, 1), MaxBytesPerSend) : _queue.Take(_batch, MaxBytesPerSend);
                    closeAfterwards = _closeRequested;
                    if (count == 0 && !closeAfterwards)
                    {
                        _writing = false;
                        return;
                    }
                }

                if (count == 0)
                {
                    FinishClose();
                    return;
                }

                long bytes = _batch is null
                    ? await SendSingleAsync(single).ConfigureAwait(false)
                    : await SendBatchAsync(count).ConfigureAwait(false);
                lock (_sendLock)
                    _queue.Release(bytes);
                _metrics.BytesSent(bytes);
            }
        }
        catch (Exception ex)
        {
            // Nobody awaits this method, so nothing may escape it: every failure ends the connection.
            if (ex is not (SocketException or ObjectDisposedException or OperationCanceledException))
                PipelinesLog.ConnectionFailed(_logger, Id, ex);
            lock (_sendLock)
            {
                _closeRequested = true;
                _closeReason ??= "Write error";
                _queue.Clear();
            }
            Abort();
        }
    }

    private async ValueTask<long> SendSingleAsync(ReadOnlyMemory<byte> segment)
    {
        int sent = 0;
        while (sent < segment.Length)
        {
            int n = await _socket.SendAsync(segment[sent..], SocketFlags.None).ConfigureAwait(false);
            if (n <= 0)
                throw new SocketException((int)SocketError.ConnectionAborted);
            sent += n;
        }
        return sent;
    }

    private async ValueTask<long> SendBatchAsync(int count)
    {
        ReadOnlyMemory<byte>[] batch = _batch!;
        if (count == 1)
        {
            ReadOnlyMemory<byte> only = batch[0];
            batch[0] = default;
            return await SendSingleAsync(only).ConfigureAwait(false);
        }

        List<ArraySegment<byte>> segments = _batchSegments ??= new List<ArraySegment<byte>>(MaxSegmentsPerSend);
        segments.Clear();
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            if (!MemoryMarshal.TryGetArray(batch[i], out ArraySegment<byte> segment))
                segment = new ArraySegment<byte>(batch[i].ToArray()); // rare: the core shares arrays
            segments.Add(segment);
            total += segment.Count;
            batch[i] = default;
        }
        try
        {
            // One vectored send (sendmsg with an iovec) for the whole burst; a stream socket's async send
            // completes only once every byte is written.
            int sent = await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            if (sent < total)
                throw new SocketException((int)SocketError.ConnectionAborted);
            return total;
        }
        finally
        {
            segments.Clear();
        }
    }

    // Everything, the ERROR line included, is out: FIN both ways. The receive loop then sees the end and finishes.
    private void FinishClose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private void MarkClosed()
    {
        lock (_sendLock)
        {
            _closeRequested = true;
            _queue.Clear();
            _closeDeadline?.Dispose();
        }
    }
}
