using System.Collections.Concurrent;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// Batches for the async writers, shared by every connection: a drain borrows one for as long as it runs, so an
/// idle connection holds none. One per thread is cached (most drains complete synchronously on the thread that
/// started them), the rest in a bounded shared pool.
/// </summary>
internal static class SegmentListPool
{
    /// <summary>Batches kept in the shared pool beyond the per-thread ones; more are left to the GC.</summary>
    public const int MaxPooled = 1024;

    [ThreadStatic]
    private static List<ArraySegment<byte>>? t_cached;

    private static readonly ConcurrentQueue<List<ArraySegment<byte>>> s_shared = new();
    private static int s_sharedCount;

    public static List<ArraySegment<byte>> Rent()
    {
        List<ArraySegment<byte>>? list = t_cached;
        if (list is not null)
        {
            t_cached = null;
            return list;
        }
        if (s_shared.TryDequeue(out list))
        {
            Interlocked.Decrement(ref s_sharedCount);
            return list;
        }
        return new List<ArraySegment<byte>>(TransportConnection.MaxSegmentsPerWrite);
    }

    public static void Return(List<ArraySegment<byte>> list)
    {
        if (t_cached is null)
        {
            t_cached = list;
            return;
        }
        if (Interlocked.Increment(ref s_sharedCount) <= MaxPooled)
            s_shared.Enqueue(list);
        else
            Interlocked.Decrement(ref s_sharedCount);
    }
}
