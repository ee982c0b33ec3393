using System.Net.Sockets;

namespace ChatLoad.Server.Transports.Threads;

internal sealed partial class BlockingConnection
{
    // Set on a thread that has woken some writer since it last gave way (see YieldToWokenWriters).
    [ThreadStatic]
    private static bool t_wokeWriters;

    private readonly object _wakeGate = new();
    private bool _wakeRequested; // guarded by _wakeGate; survives a wake that comes before the thread waits

    /// <summary>Called by whoever queued into an idle queue: a signal to this client's writer thread, no I/O.</summary>
    protected override void WakeWriter()
    {
        lock (_wakeGate)
        {
            _wakeRequested = true;
            Monitor.Pulse(_wakeGate);
        }
        t_wokeWriters = true;
    }

    /// <summary>
    /// Called by a read thread after handling one read's lines: if they woke writers, give way to them now
    /// (sched_yield). A client whose input never runs dry would otherwise keep its core while its recipients'
    /// queues grow past their SendQ before their writers get to run — on a busy machine, long enough to drop
    /// healthy readers.
    /// </summary>
    private static void YieldToWokenWriters()
    {
        if (!t_wokeWriters)
            return;
        t_wokeWriters = false;
        Thread.Yield();
    }

    /// <summary>
    /// The body of the writer thread: sleeps until woken, then drains the queue with blocking vectored sends. A
    /// send blocks for as long as this client does not read — this thread only, which is the point of it; the
    /// close deadline (or the read thread, at the end) resets the socket to free it.
    /// </summary>
    private void RunWriterThread()
    {
        var batch = new List<ArraySegment<byte>>(MaxSegmentsPerWrite);
        try
        {
            do
            {
                WaitForWake();
            }
            while (Drain(batch));
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(Context.Logger, Id, ex);
            WriteFailed("internal error");
        }
    }

    private void WaitForWake()
    {
        lock (_wakeGate)
        {
            while (!_wakeRequested)
                Monitor.Wait(_wakeGate);
            _wakeRequested = false;
        }
    }

    // Writes until the queue is empty (true: wait for the next wake) or the writer's work is over (false).
    private bool Drain(List<ArraySegment<byte>> batch)
    {
        while (true)
        {
            switch (TakeBatch(batch, out long bytes))
            {
                case WriterStep.Idle:
                    return true;
                case WriterStep.Stop:
                    return false;
                case WriterStep.SendFin:
                    ShutdownSend();
                    FinSent();
                    return false;
            }

            SocketError error = _tls is null ? SendAll(batch) : _tls.Write(batch, bytes);
            batch.Clear();
            if (error != SocketError.Success)
            {
                WriteFailed(error.ToString());
                return false;
            }
            BatchWritten(bytes);
        }
    }

    // A blocking send on a stream socket returns once every byte is written; loop anyway in case the kernel
    // takes only part of it (a signal).
    private SocketError SendAll(List<ArraySegment<byte>> batch)
    {
        try
        {
            while (batch.Count > 0)
            {
                // One segment (a recipient's usual share of a fan-out) as a plain send: the list overload pins
                // and allocates per call, this one does neither.
                int sent = batch.Count == 1
                    ? _socket.Send(batch[0].AsSpan(), SocketFlags.None, out SocketError error)
                    : _socket.Send(batch, SocketFlags.None, out error);
                if (error != SocketError.Success)
                    return error;
                if (sent <= 0)
                    return SocketError.ConnectionAborted;
                SkipSent(batch, sent);
            }
            return SocketError.Success;
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
    }

    // After a partial send, drop the bytes already written from the front of the batch.
    private static void SkipSent(List<ArraySegment<byte>> batch, int sent)
    {
        int whole = 0;
        while (whole < batch.Count && sent >= batch[whole].Count)
            sent -= batch[whole++].Count;
        batch.RemoveRange(0, whole);
        if (sent > 0)
            batch[0] = batch[0].Slice(sent);
    }

    // Everything, the ERROR line included, is written: FIN. The read thread goes on reading until the peer
    // closes too (or the close deadline resets the connection).
    private void ShutdownSend()
    {
        _tls?.SendCloseNotify();
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }
}
