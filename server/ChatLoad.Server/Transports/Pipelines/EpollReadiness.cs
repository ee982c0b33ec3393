using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static ChatLoad.Server.Transports.Pipelines.EpollInterop;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// The async model's own socket readiness on Linux (ServerOptions.SocketEngine = epoll): one epoll set, one thread
/// in epoll_wait, every plain-TCP connection registered once, edge-triggered, for reading and writing. Each batch
/// of events becomes one thread-pool work item that tells each ready connection's <see cref="SocketReadiness"/>,
/// whose waiting receive loop (or writer) then runs inline in that item. Against .NET's own engine (a pending
/// zero-byte ReceiveAsync per idle socket, SocketAsyncContext per socket) an idle connection holds no
/// operation object of the runtime's (0.63-0.73 KB less per idle client), and a message costs one recv instead of a
/// zero-byte receive and a receive (figures in the README, "Where the idle bytes went").
/// </summary>
/// <remarks>
/// An event's data is a token (slot index, generation), never the descriptor: a descriptor number is reused by
/// the next accept as soon as it is closed, and an event still in a batch for the old connection must not reach
/// the new one. A slot is freed only after the descriptor left the set (<see cref="SocketReadiness.Deregister"/>),
/// and its next owner gets the next generation, so a stale token matches nothing.
/// </remarks>
internal sealed unsafe class EpollReadiness
{
    /// <summary>Events taken per epoll_wait, so one work item: enough for a burst of fan-out senders on this 2-core machine; more wait for the next call.</summary>
    public const int EventsPerWait = 256;

    /// <summary>Batches kept for reuse; a busy engine has at most a few in the thread pool's queue at once.</summary>
    private const int MaxPooledBatches = 64;

    /// <summary>
    /// How long the wait loop pauses after an epoll_wait that failed other than by a signal (which the set cannot do
    /// while the process lives, short of a bug): retrying at once would spin a core, silently.
    /// </summary>
    internal static readonly TimeSpan WaitFailureBackoff = TimeSpan.FromMilliseconds(10);

    private static readonly Lazy<EpollReadiness> s_shared = new(() => new EpollReadiness());

    private readonly LogThrottle _waitFailureLog = new(ConnectionListener.AcceptFailureLogInterval);
    private ILogger _logger = NullLogger.Instance; // the first listener's (UseLogger)

    private readonly int _epoll;
    private readonly Lock _slotsLock = new();
    private SocketReadiness?[] _slots = new SocketReadiness?[1024];
    private readonly Stack<ulong> _freeTokens = new(); // a freed slot's next token: its index, its next generation
    private int _nextSlot;
    private readonly ConcurrentQueue<ReadinessBatch> _batches = new();

    private EpollReadiness()
    {
        _epoll = epoll_create1(EPOLL_CLOEXEC);
        if (_epoll < 0)
            throw new SocketException((int)ToSocketError(Marshal.GetLastPInvokeError()));
        new Thread(WaitLoop) { IsBackground = true, Name = "epoll readiness" }.Start();
    }

    /// <summary>Linux on x86-64 or arm64 (the two epoll_event layouts <see cref="EpollInterop"/> knows).</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The one engine of the process (created on first use): every async listener shares it.</summary>
    public static EpollReadiness Shared => s_shared.Value;

    /// <summary>Where the engine reports its own failures: the first logger given wins (the engine is the process's).</summary>
    public EpollReadiness UseLogger(ILogger logger)
    {
        if (_logger == NullLogger.Instance)
            Interlocked.CompareExchange(ref _logger, logger, NullLogger.Instance);
        return this;
    }

    /// <summary>Takes a slot for <paramref name="readiness"/> and adds its descriptor to the set; returns the token.</summary>
    internal ulong Add(SocketReadiness readiness, int fd)
    {
        ulong token = TakeSlot(readiness);
        byte* ev = stackalloc byte[16];
        *(uint*)ev = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        *(ulong*)(ev + EventDataOffset) = token;
        if (epoll_ctl(_epoll, EPOLL_CTL_ADD, fd, ev) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            FreeSlot(token);
            throw new SocketException((int)ToSocketError(errno));
        }
        return token;
    }

    /// <summary>Removes the descriptor from the set (before it is closed), then frees the token's slot.</summary>
    internal void Remove(ulong token, int fd)
    {
        epoll_ctl(_epoll, EPOLL_CTL_DEL, fd, null); // fails only if the descriptor is already gone from the set
        FreeSlot(token);
    }

    /// <summary>The slot's owner is freed without a descriptor to remove (it was closed: the kernel dropped it from the set).</summary>
    internal void Forget(ulong token) => FreeSlot(token);

    private ulong TakeSlot(SocketReadiness readiness)
    {
        lock (_slotsLock)
        {
            if (!_freeTokens.TryPop(out ulong token))
            {
                token = (uint)_nextSlot++;
                if ((int)token == _slots.Length)
                {
                    // Published before the descriptor is added, so no event can name a slot the dispatcher's array
                    // lacks. Grown by half, not doubled: every idle client pays for the table's empty tail.
                    SocketReadiness?[] grown = new SocketReadiness?[_slots.Length + _slots.Length / 2];
                    Array.Copy(_slots, grown, _slots.Length);
                    Volatile.Write(ref _slots, grown);
                }
            }
            readiness.Token = token;
            Volatile.Write(ref _slots[(int)(uint)token], readiness);
            return token;
        }
    }

    private void FreeSlot(ulong token)
    {
        int index = (int)(uint)token;
        lock (_slotsLock)
        {
            if (_slots[index] is not { } owner || owner.Token != token)
                return;
            Volatile.Write(ref _slots[index], null);
            _freeTokens.Push(token + (1UL << 32)); // the next owner's generation: this token's stale events match nobody
        }
    }

    private void WaitLoop()
    {
        byte* events = (byte*)NativeMemory.Alloc((nuint)(EventsPerWait * EventSize));
        while (true)
        {
            int count = epoll_wait(_epoll, events, EventsPerWait, -1);
            if (count <= 0)
            {
                if (count < 0)
                    WaitFailed(Marshal.GetLastPInvokeError());
                continue;
            }
            ReadinessBatch batch = _batches.TryDequeue(out ReadinessBatch? pooled) ? pooled : new ReadinessBatch(this);
            for (int i = 0; i < count; i++)
            {
                byte* ev = events + i * EventSize;
                batch.Tokens[i] = *(ulong*)(ev + EventDataOffset);
                batch.Events[i] = *(uint*)ev;
            }
            batch.Count = count;
            // The global queue, as the writers' passes: a batch waits its turn behind the work already queued.
            ThreadPool.UnsafeQueueUserWorkItem(batch, preferLocal: false);
        }
    }

    // EINTR (a signal, a debugger) is expected and retried at once. Anything else should not happen; if it does, it
    // is logged (once a second at most, the rest counted) and retried after a short pause rather than in a spin.
    private void WaitFailed(int errno)
    {
        if (errno == EINTR)
            return;
        if (_waitFailureLog.ShouldLog(TimeProvider.System, out int suppressed))
            TransportLog.EpollWaitFailed(Volatile.Read(ref _logger), errno, ToSocketError(errno), suppressed, (int)WaitFailureBackoff.TotalMilliseconds);
        Thread.Sleep(WaitFailureBackoff);
    }

    private void Dispatch(ReadinessBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            ulong token = batch.Tokens[i];
            SocketReadiness?[] slots = Volatile.Read(ref _slots);
            int index = (int)(uint)token;
            // A stale token (its connection deregistered, the slot maybe reused) finds nobody or somebody else.
            if (Volatile.Read(ref slots[index]) is { } readiness && readiness.Token == token)
                readiness.Signal(batch.Events[i]);
        }
        batch.Count = 0;
        if (_batches.Count < MaxPooledBatches)
            _batches.Enqueue(batch);
    }

    /// <summary>One epoll_wait's events, dispatched by one thread-pool work item.</summary>
    private sealed class ReadinessBatch(EpollReadiness engine) : IThreadPoolWorkItem
    {
        public readonly ulong[] Tokens = new ulong[EventsPerWait];
        public readonly uint[] Events = new uint[EventsPerWait];
        public int Count;

        public void Execute() => engine.Dispatch(this);
    }
}
