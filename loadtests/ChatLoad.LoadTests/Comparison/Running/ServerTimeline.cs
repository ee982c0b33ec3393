namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The server's /proc figures (CPU-seconds from /proc/PID/stat, RSS and threads from /proc/PID/status) every
/// interval while a load runs — the one sampler of the comparison and the scale table. Timestamps come from the
/// given clock (the system's is the clock the independent generator's phase lines are stamped with), so the
/// server's CPU can be read over exactly a generator's measured window, over its busiest window, or over the
/// whole run.
/// </summary>
internal sealed class ServerTimeline : IAsyncDisposable
{
    /// <summary>The scale table's interval: a CPU window is then exact to a few percent of a 10 s run, and reading
    /// two small /proc files five times a second costs the generator's core nothing measurable.</summary>
    public static readonly TimeSpan FineInterval = TimeSpan.FromMilliseconds(200);

    private readonly int _pid;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly List<(long At, ProcessFigures Figures)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ServerTimeline(int pid, TimeProvider time, TimeSpan interval)
    {
        _pid = pid;
        _time = time;
        _interval = interval;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval, _time);
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
        lock (_samples) _samples.Add((_time.GetTimestamp(), f));
        return f;
    }

    private (long At, ProcessFigures Figures)[] Samples()
    {
        lock (_samples) return [.. _samples];
    }

    /// <summary>Server CPU % of one core between two timestamps of this timeline's clock (the samples nearest
    /// inside them).</summary>
    public (double Percent, double Seconds)? CpuBetween(long from, long to) =>
        CpuOver(Samples().Where(s => s.At >= from && s.At <= to).ToArray());

    private (double Percent, double Seconds)? CpuOver((long At, ProcessFigures Figures)[] samples)
    {
        if (samples.Length < 2) return null;
        double cpu = samples[^1].Figures.CpuSeconds - samples[0].Figures.CpuSeconds;
        double wall = _time.GetElapsedTime(samples[0].At, samples[^1].At).TotalSeconds;
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
            while (j < s.Length && _time.GetElapsedTime(s[i].At, s[j].At) < window) j++;
            if (j >= s.Length) break;
            if (CpuOver([s[i], s[j]]) is { } w && (best is null || w.Percent > best.Value.Percent)) best = w;
        }
        // A run shorter than the window: the whole of it.
        return best ?? CpuOver(s);
    }

    public double PeakRssMb => Samples().Select(s => s.Figures.RssMb).DefaultIfEmpty(0).Max();

    public int PeakThreads => Samples().Select(s => s.Figures.Threads).DefaultIfEmpty(0).Max();

    /// <summary>The whole run so far: peak threads and RSS, mean CPU % from the first sample to the last.</summary>
    public SampledServerFigures Result()
    {
        var whole = CpuOver(Samples());
        return new SampledServerFigures(PeakThreads, PeakRssMb, whole?.Percent ?? 0) { CpuSeconds = whole?.Seconds ?? 0 };
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
