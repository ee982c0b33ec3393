namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// Tests that read the process's live heap (GC.GetTotalMemory after a full collection): run alone, since any other
/// test allocating or freeing meanwhile moves the figure (2,000 channels measured 14 bytes each beside the rest of
/// the suite, 315 alone).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveMemoryCollection
{
    public const string Name = "live memory measurements";

    /// <summary>Live bytes on the heap after full, compacting collections (finalizers run in between).</summary>
    public static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
