using System.Collections.Concurrent;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// What the async model's writers borrow for one drain — a <see cref="WriteBatch"/>, and on the .NET socket engine a
/// <see cref="SocketSender"/> too: one per thread cached (most drains complete synchronously on the thread that
/// started them), the rest in a bounded shared pool, so only connections writing at this moment hold one and a
/// drain allocates nothing once warm.
/// </summary>
internal static class WriterPool<T>
    where T : class, new()
{
    /// <summary>Kept in the shared pool beyond the per-thread ones; more are dropped (disposed) when returned.</summary>
    public const int MaxPooled = 1024;

    [ThreadStatic]
    private static T? t_cached;

    private static readonly ConcurrentQueue<T> s_shared = new();
    private static int s_sharedCount;

    public static T Rent()
    {
        T? item = t_cached;
        if (item is not null)
        {
            t_cached = null;
            return item;
        }
        if (s_shared.TryDequeue(out item))
        {
            Interlocked.Decrement(ref s_sharedCount);
            return item;
        }
        return new T();
    }

    /// <summary>Takes back what a drain is done with (already emptied: it must keep no client's bytes alive).</summary>
    public static void Return(T item)
    {
        if (t_cached is null)
        {
            t_cached = item;
            return;
        }
        if (Interlocked.Increment(ref s_sharedCount) <= MaxPooled)
        {
            s_shared.Enqueue(item);
            return;
        }
        Interlocked.Decrement(ref s_sharedCount);
        (item as IDisposable)?.Dispose();
    }
}
