namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Which cores the server and the generator run on. With two or more cores the server gets core 0 and the
/// generator the rest, so neither steals the other's CPU and a model's figures are its own; with one core (or no
/// taskset) both share, and the report says so.
/// </summary>
public sealed record CpuPinning(string? ServerCores, string? GeneratorCores, string Description)
{
    public static CpuPinning Decide(bool wanted, int processorCount, bool tasksetAvailable)
    {
        if (!wanted) return new(null, null, "not pinned (--no-pin): server and generator share all cores");
        if (processorCount < 2) return new(null, null, $"not pinned: only {processorCount} core");
        if (!tasksetAvailable) return new(null, null, "not pinned: taskset is not installed");
        string generator = processorCount == 2 ? "1" : $"1-{processorCount - 1}";
        return new("0", generator,
            $"server pinned to core 0, generator to core{(processorCount == 2 ? "" : "s")} {generator} (taskset -c)");
    }

    public static bool TasksetAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "taskset")));
}
