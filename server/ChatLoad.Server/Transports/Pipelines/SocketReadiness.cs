using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using static ChatLoad.Server.Transports.Pipelines.EpollInterop;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// One plain-TCP connection's registration with <see cref="EpollReadiness"/>: the non-blocking recv and sendmsg of
/// its receive loop and writer, and a wait for each direction that the engine's edges complete. Both calls are
/// made with the descriptor's handle held (DangerousAddRef), so a socket closed meanwhile by another thread (a
/// reset at the close deadline, the shutdown's abort) fails the call instead of its number reaching whichever
/// connection was accepted onto it next.
/// </summary>
/// <remarks>
/// Every idle client holds one, so it is small (about 120 bytes): it is itself the receive loop's wait (an
/// <see cref="IValueTaskSource"/> over one reused ManualResetValueTaskSourceCore), and the writer's wait, needed
/// only by a peer whose window filled, is made the first time one is.
/// </remarks>
internal sealed class SocketReadiness : IValueTaskSource
{
    private const int Unregistered = 0, Registered = 1, Deregistered = 2;

    private readonly SafeSocketHandle _handle;
    private ManualResetValueTaskSourceCore<bool> _readCompletion; // continuations run inline, in the engine's work item
    private Edges _readEdges;
    private Edges _writeEdges;
    private WriteWait? _writeWait;
    private int _state;

    public SocketReadiness(Socket socket)
    {
        _handle = socket.SafeHandle;
    }

    private static EpollReadiness Engine => EpollReadiness.Shared;

    /// <summary>The engine's token for this registration (slot and generation).</summary>
    internal ulong Token;

    /// <summary>
    /// The last <see cref="Receive"/> filled its buffer, so more input may be waiting without a new edge (edge-triggered:
    /// only a short read or EAGAIN says the socket is drained).
    /// </summary>
    public bool MayHaveMoreInput { get; private set; }

    /// <summary>Adds the socket to the engine's set (once). Throws <see cref="SocketException"/> or <see cref="ObjectDisposedException"/>.</summary>
    public void Register()
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            ulong token = Engine.Add(this, (int)_handle.DangerousGetHandle());
            if (Interlocked.CompareExchange(ref _state, Registered, Unregistered) != Unregistered)
                Engine.Remove(token, (int)_handle.DangerousGetHandle()); // deregistered meanwhile (a reset before the start)
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Takes the socket out of the set before it is closed (a descriptor number closed while still registered could
    /// be reused by the next accept, and a later removal would take the new connection's registration) and frees the
    /// engine's slot. Idempotent. Once the socket is closed, <see cref="WakeWaiters"/>.
    /// </summary>
    public void Deregister()
    {
        if (Interlocked.Exchange(ref _state, Deregistered) == Registered)
        {
            bool added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                Engine.Remove(Token, (int)_handle.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
                Engine.Forget(Token); // already closed: the kernel dropped it from the set
            }
            finally
            {
                if (added)
                    _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// After the socket was closed under a waiting receive or send (no edge will come: it left the set): completes
    /// them, on the thread pool rather than inline on the caller's thread (a timer, the shutdown's abort loop), so
    /// their next call fails as a pending .NET receive or send fails on close.
    /// </summary>
    public void WakeWaiters()
    {
        // The edge counts move now, so a wait armed after this returns at once; an armed one is completed later.
        if (Edges.Move(ref _readEdges) | Edges.Move(ref _writeEdges))
            ThreadPool.UnsafeQueueUserWorkItem(static readiness => readiness.Signal(EPOLLIN | EPOLLOUT), this, preferLocal: false);
    }

    /// <summary>The engine's edge for this socket.</summary>
    internal void Signal(uint events)
    {
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0 && Edges.Signal(ref _readEdges))
            _readCompletion.SetResult(true);
        if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0 && Edges.Signal(ref _writeEdges))
            Volatile.Read(ref _writeWait)!.Complete(); // armed, so made: the writer makes it before arming
    }

    /// <summary>
    /// Completes once the socket may be readable again: at once when an edge came since the last <see cref="Receive"/>
    /// began (so one between its EAGAIN and this wait is never lost), else at the next edge, inline in the engine's
    /// work item. No allocation.
    /// </summary>
    public ValueTask WaitReadableAsync()
    {
        _readCompletion.Reset();
        return Edges.Arm(ref _readEdges) ? new ValueTask(this, _readCompletion.Version) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// One non-blocking recv into <paramref name="buffer"/>: the bytes read, 0 when the peer closed, -1 when nothing
    /// is there (EAGAIN: wait again). An error is a <see cref="SocketException"/> with .NET's code for it.
    /// </summary>
    public unsafe int Receive(Span<byte> buffer)
    {
        _readEdges.BeginAttempt();
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* bytes = buffer)
            {
                while (true)
                {
                    nint received = recv(fd, bytes, (nuint)buffer.Length, MSG_DONTWAIT);
                    if (received >= 0)
                    {
                        MayHaveMoreInput = received == buffer.Length;
                        return (int)received;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                        continue;
                    MayHaveMoreInput = false;
                    if (errno == EAGAIN)
                        return -1;
                    throw new SocketException((int)ToSocketError(errno));
                }
            }
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Writes the whole <paramref name="batch"/> (<paramref name="bytes"/> in all): one non-blocking vectored sendmsg
    /// on the caller's thread, and only when the peer's window is full (EAGAIN, or part written) the rest after
    /// writability edges. Completes synchronously in the common case. An error is a <see cref="SocketException"/>.
    /// </summary>
    public ValueTask SendAsync(List<ArraySegment<byte>> batch, long bytes)
    {
        long sent = Send(batch);
        return sent == bytes ? ValueTask.CompletedTask : SendRestAsync(batch, bytes, sent);
    }

    /// <summary>Sends that had to wait for writability, in the process (for tests).</summary>
    internal static long WritabilityWaits;

    private async ValueTask SendRestAsync(List<ArraySegment<byte>> batch, long bytes, long sent)
    {
        while (true)
        {
            PartialWrite.DropWritten(batch, sent);
            bytes -= sent;
            Interlocked.Increment(ref WritabilityWaits);
            WriteWait? wait = _writeWait;
            if (wait is null)
                Volatile.Write(ref _writeWait, wait = new WriteWait()); // only this writer makes it, before it arms
            await wait.WaitAsync(ref _writeEdges).ConfigureAwait(false);
            sent = Send(batch);
            if (sent == bytes)
                return;
        }
    }

    // One sendmsg: the bytes written (0 on EAGAIN).
    private unsafe long Send(List<ArraySegment<byte>> batch)
    {
        _writeEdges.BeginAttempt();
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            IoVector* vectors = stackalloc IoVector[batch.Count];
            return SendPinned((int)_handle.DangerousGetHandle(), batch, 0, vectors);
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    // Pins the batch's arrays one frame each (a fixed statement per segment, at most MaxSegmentsPerWrite deep), so
    // the send needs no GC handle per segment, then makes the call with all of them pinned.
    private static unsafe long SendPinned(int fd, List<ArraySegment<byte>> batch, int index, IoVector* vectors)
    {
        if (index == batch.Count)
            return SendMessage(fd, vectors, batch.Count);
        ArraySegment<byte> segment = batch[index];
        fixed (byte* start = segment.Array)
        {
            vectors[index] = new IoVector { Base = start + segment.Offset, Length = (nuint)segment.Count };
            return SendPinned(fd, batch, index + 1, vectors);
        }
    }

    private static unsafe long SendMessage(int fd, IoVector* vectors, int count)
    {
        var message = new MessageHeader { Vectors = vectors, VectorCount = (nuint)count };
        while (true)
        {
            nint sent = sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (sent >= 0)
                return sent;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return 0;
            throw new SocketException((int)ToSocketError(errno));
        }
    }

    void IValueTaskSource.GetResult(short token) => _readCompletion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _readCompletion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _readCompletion.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// One direction's edges. The count is what makes a wait safe against the race of edge-triggered readiness: the
    /// I/O side notes it before its syscall, and a wait that finds it moved completes at once.
    /// </summary>
    private struct Edges
    {
        private int _count;    // incremented by the engine
        private int _seen;     // _count when the last attempt began (the I/O side only)
        private int _waiting;  // 1 while a wait is armed and not yet completed

        public void BeginAttempt() => _seen = Volatile.Read(ref _count);

        /// <summary>An edge: true when a wait was armed, which the caller now completes.</summary>
        public static bool Signal(ref Edges edges)
        {
            Interlocked.Increment(ref edges._count);
            return Interlocked.Exchange(ref edges._waiting, 0) == 1;
        }

        /// <summary>Counts an edge without completing a wait; true if one is armed (for <see cref="Signal"/> to complete).</summary>
        public static bool Move(ref Edges edges)
        {
            Interlocked.Increment(ref edges._count);
            return Volatile.Read(ref edges._waiting) == 1;
        }

        /// <summary>Arms a wait: false when an edge came since the attempt and the wait was taken back (no wait).</summary>
        public static bool Arm(ref Edges edges)
        {
            Interlocked.Exchange(ref edges._waiting, 1);
            // An edge since the attempt: take the wait back, unless the engine already took it (then it completes it).
            return Volatile.Read(ref edges._count) == edges._seen || Interlocked.Exchange(ref edges._waiting, 0) == 0;
        }
    }

    /// <summary>The writer's wait for writability, reused for every wait (no allocation after the first).</summary>
    private sealed class WriteWait : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _completion;

        public ValueTask WaitAsync(ref Edges edges)
        {
            _completion.Reset();
            return Edges.Arm(ref edges) ? new ValueTask(this, _completion.Version) : ValueTask.CompletedTask;
        }

        public void Complete() => _completion.SetResult(true);

        void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _completion.OnCompleted(continuation, state, token, flags);
    }
}
