namespace ChatLoad.Server.Transports;

/// <summary>Process-wide connection ids, shared by both transports so logs and metrics never collide.</summary>
internal static class ConnectionIds
{
    private static long s_last;

    public static long Next() => Interlocked.Increment(ref s_last);
}
