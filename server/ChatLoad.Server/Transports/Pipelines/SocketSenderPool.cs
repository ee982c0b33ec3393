using System.Collections.Concurrent;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// The senders of every async connection: one per thread cached (most drains complete synchronously on the
/// thread that started them), the rest in a bounded shared pool; only connections writing at this moment hold one.
/// </summary>
internal static class SocketSenderPool
{
    /// <summary>Senders kept in the shared pool beyond the per-thread ones; more are disposed when returned.</summary>
    public const int MaxPooled = 1024;

    [ThreadStatic]
    private static SocketSender? t_cached;

    private static readonly ConcurrentQueue<SocketSender> s_shared = new();
    private static int s_sharedCount;

    public static SocketSender Rent()
    {
        SocketSender? sender = t_cached;
        if (sender is not null)
        {
            t_cached = null;
            return sender;
        }
        if (s_shared.TryDequeue(out sender))
        {
            Interlocked.Decrement(ref s_sharedCount);
            return sender;
        }
        return new SocketSender();
    }

    /// <summary>Takes back a sender whose last send has completed (and that was <see cref="SocketSender.Reset"/>).</summary>
    public static void Return(SocketSender sender)
    {
        if (t_cached is null)
        {
            t_cached = sender;
            return;
        }
        if (Interlocked.Increment(ref s_sharedCount) <= MaxPooled)
        {
            s_shared.Enqueue(sender);
            return;
        }
        Interlocked.Decrement(ref s_sharedCount);
        sender.Dispose();
    }
}
