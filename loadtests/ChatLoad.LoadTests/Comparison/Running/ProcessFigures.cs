using System.Globalization;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A process's OS threads, resident memory and CPU time as Linux reports them in /proc. The comparison reads its
/// server child directly: for the idle baseline before a rung (to compute memory per client) and as a fallback
/// when a run result carries no server gauges.
/// </summary>
public readonly record struct ProcessFigures(int Threads, double RssMb, double CpuSeconds)
{
    private static readonly double ClockTicksPerSecond = 100; // USER_HZ is 100 on every Linux we run on

    public static ProcessFigures? Read(int pid)
    {
        try
        {
            int threads = 0;
            double rssKb = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rssKb = double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            // /proc/pid/stat: the command name may hold spaces, so count fields after its closing parenthesis.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            return new ProcessFigures(threads, rssKb / 1024, ticks / ClockTicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // the process is gone or /proc is not Linux's: no figures, not an error
        }
    }
}

/// <summary>What a <see cref="ServerTimeline"/> saw of the server during one rung.</summary>
public sealed record SampledServerFigures(int MaxThreads, double MaxRssMb, double MeanCpuPercent)
{
    /// <summary>CPU time the process used between the first and the last sample (user + system).</summary>
    public double CpuSeconds { get; init; }
}
