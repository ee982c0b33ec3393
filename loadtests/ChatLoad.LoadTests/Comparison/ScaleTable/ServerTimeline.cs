using System.Diagnostics;

namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>
/// The server's /proc figures (CPU-seconds from /proc/PID/stat, RSS and threads from /proc/PID/status) every
/// <see cref="Interval"/> while a generator runs, timestamped on the same clock the generator's phase lines are
/// stamped with, so the server's CPU can be read over exactly the generator's measured window.
/// </summary>
internal sealed class ServerTimeline : IAsyncDisposable
{
    /// <summary>Sampling interval. Default 200 ms: a CPU window is then exact to a few percent of a 10 s run, and
    /// reading two small /proc files five times a second costs the generator's core nothing measurable.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly int _pid;
    private readonly List<(long At, ProcessFigures Figures)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ServerTimeline(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            Sample();
        }
        while (await Tick(timer));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try { return await timer.WaitForNextTickAsync(_stop.Token); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Takes one sample now (also called at a generator's phase lines, for an exact window edge).</summary>
    public ProcessFigures? Sample()
    {
        if (ProcessFigures.Read(_pid) is not { } f) return null;
        lock (_samples) _samples.Add((Stopwatch.GetTimestamp(), f));
        return f;
    }

    private (long At, ProcessFigures Figures)[] Samples()
    {
        lock (_samples) return [.. _samples];
    }

    /// <summary>Server CPU % of one core between two timestamps (the samples nearest inside them).</summary>
    public (double Percent, double Seconds)? CpuBetween(long from, long to)
    {
        var inside = Samples().Where(s => s.At >= from && s.At <= to).ToArray();
        if (inside.Length < 2) return null;
        double cpu = inside[^1].Figures.CpuSeconds - inside[0].Figures.CpuSeconds;
        double wall = Stopwatch.GetElapsedTime(inside[0].At, inside[^1].At).TotalSeconds;
        return wall <= 0 ? null : (100 * cpu / wall, cpu);
    }

    /// <summary>The contiguous <paramref name="window"/> in which the server used the most CPU: for a generator
    /// without phase lines (the suite's), under a steady load that is its measured time.</summary>
    public (double Percent, double Seconds)? BusiestWindow(TimeSpan window)
    {
        var s = Samples();
        (double Percent, double Seconds)? best = null;
        int j = 0;
        for (int i = 0; i < s.Length; i++)
        {
            while (j < s.Length && Stopwatch.GetElapsedTime(s[i].At, s[j].At) < window) j++;
            if (j >= s.Length) break;
            double cpu = s[j].Figures.CpuSeconds - s[i].Figures.CpuSeconds;
            double wall = Stopwatch.GetElapsedTime(s[i].At, s[j].At).TotalSeconds;
            if (wall > 0 && (best is null || 100 * cpu / wall > best.Value.Percent)) best = (100 * cpu / wall, cpu);
        }
        // A run shorter than the window: the whole of it.
        return best ?? (s.Length >= 2 ? CpuBetween(s[0].At, s[^1].At) : null);
    }

    public double PeakRssMb => Samples().Select(s => s.Figures.RssMb).DefaultIfEmpty(0).Max();

    public int PeakThreads => Samples().Select(s => s.Figures.Threads).DefaultIfEmpty(0).Max();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
