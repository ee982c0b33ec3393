using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Threads;

internal sealed partial class BlockingConnection
{
    /// <summary>Segments gathered into one vectored Send: enough for a burst of broadcast lines per syscall.</summary>
    private const int MaxSegmentsPerSend = 64;

    /// <summary>Bytes gathered into one Send, so one write never holds the flushing thread much longer than needed.</summary>
    private const int MaxBytesPerSend = 64 * 1024;

    private readonly object _sendLock = new();
    private readonly OutboundQueue _queue;
    private readonly ReadOnlyMemory<byte>[] _batch = new ReadOnlyMemory<byte>[MaxSegmentsPerSend];
    private readonly List<ArraySegment<byte>> _batchSegments = new(MaxSegmentsPerSend);
    private bool _flushing;       // guarded by _sendLock: one thread at a time writes to the socket
    private bool _closeRequested; // guarded by _sendLock: no more bytes accepted
    private string? _closeReason;

    private bool IsClosing => Volatile.Read(ref _closeRequested);

    /// <summary>
    /// Queues <paramref name="lines"/>. If no thread is writing to this client, the calling thread becomes the
    /// writer and drains the queue with blocking sends (the "combining" writer): each send is bounded by the
    /// socket's SendTimeout, so a sender is never held longer than that by a slow client. Others just enqueue.
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
                // The backlog passed SendQ: this client cannot keep up. Drop what it has not taken, leave it only
                // the ERROR line. The writer (if one is blocked) delivers it or times out, then closes.
                _metrics.SlowConsumerDisconnected();
                ThreadsLog.SlowConsumer(_logger, Id, _queue.Bytes);
                RequestCloseLocked(ServerReplies.SendQueueExceededReason, dropQueued: true);
                if (_flushing)
                    return;
            }
            else if (_flushing)
            {
                return;
            }
            _flushing = true;
        }
        Flush();
    }

    /// <summary>Queues <c>ERROR :reason</c> after what is already queued, then closes once it is sent.</summary>
    public void Close(string reason)
    {
        lock (_sendLock)
        {
            if (_closeRequested)
                return;
            RequestCloseLocked(reason, dropQueued: false);
            if (_flushing)
                return;
            _flushing = true;
        }
        Flush();
    }

    private void RequestCloseLocked(string reason, bool dropQueued)
    {
        _closeRequested = true;
        _closeReason = reason;
        if (dropQueued)
            _queue.Clear();
        _queue.EnqueueUnbounded(ServerReplies.Error(reason));
    }

    // Runs on the thread that found nobody writing; returns when the queue is empty or the connection is done.
    private void Flush()
    {
        while (true)
        {
            int count;
            bool closeAfterwards;
            lock (_sendLock)
            {
                count = _queue.Take(_batch, MaxBytesPerSend);
                closeAfterwards = _closeRequested;
                if (count == 0 && !closeAfterwards)
                {
                    _flushing = false;
                    return;
                }
            }

            if (count == 0)
            {
                // Everything, the ERROR line included, is out: graceful close (FIN). Shutdown also wakes the
                // receive thread, which disposes the socket and reports the disconnect.
                Abort();
                return;
            }

            long bytes = SendBatch(count, out SocketError error);
            lock (_sendLock)
                _queue.Release(bytes);
            if (error != SocketError.Success)
            {
                OnSendFailed(error);
                return;
            }
        }
    }

    private long SendBatch(int count, out SocketError error)
    {
        long total = 0;
        _batchSegments.Clear();
        for (int i = 0; i < count; i++)
        {
            total += _batch[i].Length;
            if (!MemoryMarshal.TryGetArray(_batch[i], out ArraySegment<byte> segment))
                segment = new ArraySegment<byte>(_batch[i].ToArray()); // rare: the core shares arrays
            _batchSegments.Add(segment);
            _batch[i] = default;
        }

        error = SocketError.Success;
        try
        {
            // A blocking send on a stream socket returns after all bytes are written unless the SendTimeout
            // fires first; loop anyway in case the kernel takes part of it.
            long sent = 0;
            while (sent < total && error == SocketError.Success)
            {
                int n = _socket.Send(_batchSegments, SocketFlags.None, out error);
                if (n <= 0 && error == SocketError.Success)
                    error = SocketError.ConnectionAborted;
                sent += Math.Max(n, 0);
                if (sent < total && error == SocketError.Success)
                    SkipSent(n);
            }
            if (sent > 0)
                _metrics.BytesSent(sent);
        }
        catch (ObjectDisposedException)
        {
            error = SocketError.OperationAborted;
        }
        _batchSegments.Clear();
        return total;
    }

    // After a partial send, drop the bytes already written from the front of the segment list.
    private void SkipSent(int sent)
    {
        while (sent > 0 && _batchSegments.Count > 0)
        {
            ArraySegment<byte> first = _batchSegments[0];
            if (sent >= first.Count)
            {
                sent -= first.Count;
                _batchSegments.RemoveAt(0);
            }
            else
            {
                _batchSegments[0] = first.Slice(sent);
                sent = 0;
            }
        }
    }

    private void OnSendFailed(SocketError error)
    {
        bool timedOut = error is SocketError.TimedOut or SocketError.WouldBlock;
        bool countAsSlow;
        lock (_sendLock)
        {
            countAsSlow = timedOut && _closeReason != ServerReplies.SendQueueExceededReason;
            _closeRequested = true;
            _closeReason ??= timedOut ? ServerReplies.SendQueueExceededReason : "Write error: " + error;
            _queue.Clear();
        }
        if (countAsSlow)
        {
            // The client stopped reading for a whole SendTimeout: the same verdict as SendQ overflow.
            _metrics.SlowConsumerDisconnected();
            ThreadsLog.SendTimedOut(_logger, Id);
        }
        Abort();
    }

    // The receive thread is ending: whoever is flushing must not start again.
    private void MarkClosed()
    {
        lock (_sendLock)
        {
            _closeRequested = true;
            _queue.Clear();
        }
    }
}
