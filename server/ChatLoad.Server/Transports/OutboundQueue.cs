using System.Buffers;
using System.Runtime.InteropServices;

namespace ChatLoad.Server.Transports;

/// <summary>
/// One client's bounded outbound backlog: a ring of byte segments that are shared with other recipients and
/// never copied. The ring is rented from <see cref="RingPool"/> when the first segment arrives and returned when
/// the writer has taken the last one, so an idle client holds no ring at all (a ring grown to 64 slots by the
/// welcome burst and kept was 1 KiB per idle client, measured with dotnet-gcdump at 19,000 clients) and a busy one
/// allocates nothing. It doubles when full, bounded by the byte limit its owner passes in.
/// </summary>
/// <remarks>
/// A mutable struct, kept as a (non-readonly) field of its connection and used only through that field, never
/// copied: an idle client holds no queue object and no reference to one (24 bytes inline instead of a 48-byte object
/// and its 8-byte reference), and a delivery reads the queue from the connection's own memory instead of following
/// one more pointer (README, "Where the idle bytes went"). <c>default</c> is an empty queue. Not thread-safe: the
/// owning connection guards it with its own lock, which is also what keeps one sender's bytes in call order
/// (ergo's sendq). The limit is not stored: the owner has it (ServerOptions.SendQueueBytes, in its context).
/// </remarks>
internal struct OutboundQueue
{
    private const int InitialCapacity = 8;

    /// <summary>
    /// The rings' own pool. Under fan-out with the coalescing window most busy clients hold a ring at the same
    /// moment (each keeps its lines for the window), and <c>ArrayPool.Shared</c> keeps only one array per thread
    /// and eight per core of each size: with it nearly every rent allocated, 14–16 MB a second — about 80 bytes
    /// per delivery — in rooms of 100 at 198,000 deliveries a second (dotnet-counters, README "The fan-out send
    /// path"). This one keeps up to 4,096 rings of each size up to 256 slots; its bucket tables are 164 KB (measured around the Create),
    /// made on first use. A larger ring (a client hundreds of lines behind) is allocated and dropped.
    /// </summary>
    internal static readonly ArrayPool<ReadOnlyMemory<byte>> RingPool = ArrayPool<ReadOnlyMemory<byte>>.Create(256, 4096);

    private ReadOnlyMemory<byte>[]? _ring; // null: no ring held (nothing queued)
    private int _head;
    private int _count;
    private long _bytes;

    /// <summary>Segments waiting to be taken by the writer.</summary>
    public readonly int Count => _count;

    /// <summary>Slots of the ring held now: 0 whenever nothing is queued (the ring is back in the pool).</summary>
    internal readonly int RingCapacity => _ring?.Length ?? 0;

    /// <summary>Backlog in bytes: queued segments plus those taken but not yet <see cref="Release"/>d.</summary>
    public readonly long Bytes => _bytes;

    /// <summary>
    /// Appends <paramref name="segment"/> unless the backlog would pass <paramref name="limitBytes"/>
    /// (ServerOptions.SendQueueBytes: queued plus in-flight bytes); then nothing changes.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> segment, long limitBytes)
    {
        if (_bytes + segment.Length > limitBytes)
            return false;
        Enqueue(segment);
        return true;
    }

    /// <summary>Appends regardless of the limit: for the single closing <c>ERROR</c> line.</summary>
    public void EnqueueUnbounded(ReadOnlyMemory<byte> segment) => Enqueue(segment);

    /// <summary>
    /// Moves segments into <paramref name="batch"/> for one vectored write: at most <paramref name="maxSegments"/>,
    /// and no more than about <paramref name="maxBytes"/> (the first segment is always taken). Returns how many;
    /// <paramref name="bytes"/> is their total. Their bytes stay counted until <see cref="Release"/>.
    /// </summary>
    public int TakeInto(List<ArraySegment<byte>> batch, int maxSegments, int maxBytes, out long bytes)
    {
        int taken = 0;
        bytes = 0;
        ReadOnlyMemory<byte>[]? ring = _ring; // non-null whenever _count > 0
        while (_count > 0 && taken < maxSegments && (taken == 0 || bytes + ring![_head].Length <= maxBytes))
        {
            ReadOnlyMemory<byte> segment = ring![_head];
            ring[_head] = default; // drop the reference: the bytes may be a large shared broadcast
            _head = (_head + 1) % ring.Length;
            _count--;
            if (!MemoryMarshal.TryGetArray(segment, out ArraySegment<byte> array))
                array = new ArraySegment<byte>(segment.ToArray()); // rare: the core shares arrays
            batch.Add(array);
            bytes += segment.Length;
            taken++;
        }
        if (_count == 0)
            ReturnRing();
        return taken;
    }

    /// <summary>The writer sent (or gave up on) <paramref name="bytes"/> taken earlier.</summary>
    public void Release(long bytes) => _bytes = Math.Max(0, _bytes - bytes);

    /// <summary>Drops everything (a connection that is closing abruptly).</summary>
    public void Clear()
    {
        while (_count > 0)
        {
            _ring![_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
        ReturnRing();
        _bytes = 0;
    }

    private void Enqueue(ReadOnlyMemory<byte> segment)
    {
        if (segment.IsEmpty)
            return;
        if (_count == RingCapacity)
            Grow();
        _ring![(_head + _count) % _ring.Length] = segment;
        _count++;
        _bytes += segment.Length;
    }

    private void Grow()
    {
        // The pool may hand out a larger array than asked for: the ring uses all of it.
        ReadOnlyMemory<byte>[] bigger = RingPool.Rent(Math.Max(InitialCapacity, RingCapacity * 2));
        ReadOnlyMemory<byte>[]? old = _ring;
        for (int i = 0; i < _count; i++)
        {
            bigger[i] = old![(_head + i) % old.Length];
            old[(_head + i) % old.Length] = default;
        }
        _ring = bigger;
        _head = 0;
        if (old is not null)
            RingPool.Return(old);
    }

    // Empty: the ring goes back to the pool (every slot already cleared, so it keeps no client's bytes alive).
    private void ReturnRing()
    {
        _head = 0;
        if (_ring is null)
            return;
        RingPool.Return(_ring);
        _ring = null;
    }
}
