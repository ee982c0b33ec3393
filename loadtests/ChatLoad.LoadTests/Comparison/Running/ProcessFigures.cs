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

/// <summary>Samples a process once a second while a rung runs: peak threads and RSS, mean CPU %.</summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _maxThreads;
    private double _maxRssMb;
    private ProcessFigures? _first;
    private long _firstAt;
    private ProcessFigures? _last;
    private long _lastAt;

    public ProcessSampler(int pid, TimeProvider time)
    {
        _pid = pid;
        _time = time;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        do
        {
            if (ProcessFigures.Read(_pid) is not { } f) continue;
            long now = _time.GetTimestamp();
            if (_first is null) { _first = f; _firstAt = now; }
            _last = f;
            _lastAt = now;
            _maxThreads = Math.Max(_maxThreads, f.Threads);
            _maxRssMb = Math.Max(_maxRssMb, f.RssMb);
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try { return await timer.WaitForNextTickAsync(_stop.Token); }
        catch (OperationCanceledException) { return false; }
    }

    public SampledServerFigures Result()
    {
        double cpu = 0, cpuSeconds = 0;
        if (_first is { } a && _last is { } b && _lastAt > _firstAt)
        {
            cpuSeconds = b.CpuSeconds - a.CpuSeconds;
            cpu = 100 * cpuSeconds / _time.GetElapsedTime(_firstAt, _lastAt).TotalSeconds;
        }
        return new SampledServerFigures(_maxThreads, _maxRssMb, cpu) { CpuSeconds = cpuSeconds };
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>What <see cref="ProcessSampler"/> saw of the server during one rung.</summary>
public sealed record SampledServerFigures(int MaxThreads, double MaxRssMb, double MeanCpuPercent)
{
    /// <summary>CPU time the process used between the first and the last sample (user + system).</summary>
    public double CpuSeconds { get; init; }
}
