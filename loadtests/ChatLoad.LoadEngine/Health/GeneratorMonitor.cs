using System.Diagnostics;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Stats;
using HdrHistogram;

namespace ChatLoad.LoadEngine.Health;

/// <summary>
/// Watches the load generator itself: a timer fires every <see cref="GeneratorHealthOptions.ProbeInterval"/> and
/// measures how late it fired (thread-pool starvation shows up here first); once a second it samples the process's
/// CPU share, the thread-pool queue and thread count. From these come the warnings that say when the generator,
/// not the target, limited the run.
/// </summary>
internal sealed class GeneratorMonitor : IDisposable
{
    private readonly TimeProvider _time;
    private readonly GeneratorHealthOptions _options;
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly LongHistogram _lagMicros = LatencyHistograms.Create();
    private readonly List<GeneratorSample> _samples = new();
    private readonly object _lock = new();
    private readonly long _started;
    private ITimer? _timer;
    private long _lastProbe, _lastSample;
    private TimeSpan _lastCpu;
    private double _secondLagMaxMs;
    private long _lateProbes;
    private volatile IReadOnlyList<string> _currentWarnings = [];

    public GeneratorMonitor(TimeProvider time, GeneratorHealthOptions? options = null)
    {
        _time = time;
        _options = options ?? new GeneratorHealthOptions();
        _started = _lastProbe = _lastSample = time.GetTimestamp();
        _lastCpu = CpuTime();
    }

    /// <summary>Warnings as of the last sample, for the live console.</summary>
    public IReadOnlyList<string> CurrentWarnings => _currentWarnings;

    public GeneratorSample? LastSample
    {
        get { lock (_lock) return _samples.Count > 0 ? _samples[^1] : null; }
    }

    public void Start() =>
        _timer = _time.CreateTimer(_ => Probe(), null, _options.ProbeInterval, _options.ProbeInterval);

    private TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private void Probe()
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            var lateBy = _time.GetElapsedTime(_lastProbe, now) - _options.ProbeInterval;
            _lastProbe = now;
            long lagMicros = Math.Max(0, lateBy.Ticks / TimeSpan.TicksPerMicrosecond);
            _lagMicros.RecordValue(LatencyHistograms.ClampMicros(lagMicros));
            _secondLagMaxMs = Math.Max(_secondLagMaxMs, lagMicros / 1000.0);
            if (lateBy > _options.LagP99Limit) _lateProbes++;

            var sinceSample = _time.GetElapsedTime(_lastSample, now);
            if (sinceSample < TimeSpan.FromSeconds(1)) return;

            var cpu = CpuTime();
            double cpuPercent = 100 * (cpu - _lastCpu).TotalSeconds / (sinceSample.TotalSeconds * Environment.ProcessorCount);
            _lastCpu = cpu;
            _lastSample = now;
            _samples.Add(new GeneratorSample(Math.Round(_time.GetElapsedTime(_started, now).TotalSeconds, 1), Math.Round(cpuPercent, 1),
                Math.Round(_secondLagMaxMs, 2), ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount));
            _secondLagMaxMs = 0;
            _currentWarnings = SaturationRules.Warnings(_samples, LagMs(99), LagMs(100), Environment.ProcessorCount, _options, _lagMicros.TotalCount, _lateProbes);
        }
    }

    private double LagMs(double percentile) =>
        _lagMicros.TotalCount == 0 ? 0 : LatencyHistograms.ToMs(percentile >= 100 ? _lagMicros.GetMaxValue() : _lagMicros.GetValueAtPercentile(percentile));

    public GeneratorHealth Stop(IEnumerable<string> extraWarnings)
    {
        _timer?.Dispose();
        _timer = null;
        lock (_lock)
        {
            var warnings = SaturationRules.Warnings(_samples, LagMs(99), LagMs(100), Environment.ProcessorCount, _options, _lagMicros.TotalCount, _lateProbes)
                .Concat(extraWarnings).ToList();
            return new GeneratorHealth
            {
                CpuPercentMean = _samples.Count == 0 ? 0 : Math.Round(_samples.Average(s => s.CpuPercent), 1),
                CpuPercentMax = _samples.Count == 0 ? 0 : _samples.Max(s => s.CpuPercent),
                SchedulerLagP99Ms = LagMs(99),
                SchedulerLagMaxMs = LagMs(100),
                ThreadPoolQueueMax = _samples.Count == 0 ? 0 : _samples.Max(s => s.ThreadPoolQueue),
                ThreadPoolThreadsMax = _samples.Count == 0 ? 0 : _samples.Max(s => s.ThreadPoolThreads),
                Warnings = warnings,
                Samples = _samples.ToList(),
            };
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _process.Dispose();
    }
}
