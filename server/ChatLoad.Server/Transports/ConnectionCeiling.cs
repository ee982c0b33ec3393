namespace ChatLoad.Server.Transports;

/// <summary>
/// How many connections this process can hold before the OS says no, read from /proc at start.
/// <para>
/// Threads: every .NET thread costs about <see cref="MappingsPerThread"/> memory mappings (stack, its guard page,
/// the alternate signal stack and its guard). Past <c>vm.max_map_count</c> (65,530 by default) <c>Thread.Start</c>
/// fails and the runtime then takes the whole process down, so the threads transport must stop below it. Each
/// client of the threads model has <see cref="ThreadsPerClient"/> threads, so it holds half as many clients as
/// the process has threads to give.
/// Both modes: every connection is one file descriptor, bounded by the open-file limit.
/// </para>
/// </summary>
internal sealed record ConnectionCeiling(
    long MaxMapCount,
    long MappingsInUse,
    long OpenFileLimit,
    long DescriptorsInUse,
    int DescriptorHeadroom = ConnectionCeiling.DefaultDescriptorHeadroom)
{
    /// <summary>Mappings one thread adds (measured on Linux x64: stack + guard, signal stack + guard).</summary>
    public const int MappingsPerThread = 4;

    /// <summary>
    /// Mappings kept free for the runtime's own growth after start (GC regions, JIT code heaps, loaded assemblies,
    /// thread-pool threads): generous, because running out kills the process while refusing early only costs a
    /// few hundred clients out of ~15,000.
    /// </summary>
    public const int MappingHeadroom = 4096;

    /// <summary>
    /// Descriptors kept free for the listeners, the metrics endpoint, logging and the runtime
    /// (ServerOptions.DescriptorHeadroom; this is its default).
    /// </summary>
    public const int DefaultDescriptorHeadroom = 64;

    /// <summary>
    /// Threads a threads-model client owns: a read thread and a writer thread, so that no thread ever blocks on
    /// one client's socket on behalf of others (see Threads/BlockingConnection.cs).
    /// </summary>
    public const int ThreadsPerClient = 2;

    /// <summary>Threads the process can still start.</summary>
    public int ThreadLimit => Clamp((MaxMapCount - MappingsInUse - MappingHeadroom) / MappingsPerThread);

    /// <summary>Sockets the process can still open (one per client).</summary>
    public int DescriptorLimit => Clamp(OpenFileLimit - DescriptorsInUse - DescriptorHeadroom);

    /// <summary>Most clients the threads transport can hold: <see cref="ThreadsPerClient"/> threads and a descriptor each.</summary>
    public int ThreadsModeLimit => Math.Min(ThreadLimit / ThreadsPerClient, DescriptorLimit);

    /// <summary>Most clients the async transport can hold: a descriptor each.</summary>
    public int AsyncModeLimit => DescriptorLimit;

    /// <summary>Reads the limits and current use of this process. Off Linux (no /proc) the figures are "unlimited".</summary>
    public static ConnectionCeiling Measure(int descriptorHeadroom = DefaultDescriptorHeadroom)
    {
        long maxMapCount = ReadLong("/proc/sys/vm/max_map_count") ?? int.MaxValue;
        long mappings = CountLines("/proc/self/maps");
        long openFiles = ReadOpenFileLimit() ?? int.MaxValue;
        long descriptors = CountDescriptors();
        return new ConnectionCeiling(maxMapCount, mappings, openFiles, descriptors, descriptorHeadroom);
    }

    /// <summary>
    /// True when this process has (nearly) every descriptor of its open-file limit in use: asked after an operation
    /// failed, to tell the client the true reason. Reads /proc, so only on that rare path.
    /// </summary>
    public static bool AreDescriptorsExhausted() =>
        ReadOpenFileLimit() is { } limit && CountDescriptors() >= limit - 2;

    private static int Clamp(long value) => (int)Math.Clamp(value, 0, int.MaxValue);

    private static long? ReadLong(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), out long value) ? value : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static long CountLines(string path)
    {
        try
        {
            return File.ReadLines(path).LongCount();
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    // "Max open files            20000                20000                files" — the soft limit is what applies.
    private static long? ReadOpenFileLimit()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal))
                    continue;
                string[] words = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return words.Length > 0 && long.TryParse(words[0], out long soft) ? soft : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static long CountDescriptors()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
