using System.Text.Json.Serialization;

namespace ChatLoad.LoadEngine.Results;

// The complete raw result of a run, written as JSON (histograms included, HdrHistogram compressed + base64)
// so that shards can be merged and reports re-made from it. Every report format is rendered from this model alone.

public sealed record RunResult
{
    public required TestInfo Info { get; init; }
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];
    public GeneratorHealth Generator { get; init; } = new();

    /// <summary>Extra sections a suite adds (e.g. the chat suite's server-side figures), rendered as tables/charts.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How many shard results were merged into this one (1 for a single process).</summary>
    public int ShardCount { get; init; } = 1;

    [JsonIgnore] public bool AllThresholdsPassed => Thresholds.All(t => t.Passed);
}

public sealed record TestInfo
{
    public required string TestName { get; init; }
    public required string SessionId { get; init; }
    public required DateTimeOffset Started { get; init; }
    public required TimeSpan Duration { get; init; }
    public string Command { get; init; } = "";
    public string Machine { get; init; } = Environment.MachineName;
    public string OperatingSystem { get; init; } = System.Runtime.InteropServices.RuntimeInformation.OSDescription;
    public string Runtime { get; init; } = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
    public int ProcessorCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Free-form facts the suite adds: target, server mode, CPU pinning, client count.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

public sealed record ScenarioResult
{
    public required string Name { get; init; }
    public required TimeSpan Duration { get; init; }
    public IReadOnlyList<string> LoadSimulations { get; init; } = [];

    /// <summary>Whole-iteration stats (NBomber's "global information").</summary>
    public required StepStats Iterations { get; init; }

    /// <summary>Stats of each named step, in first-seen order.</summary>
    public IReadOnlyList<StepStats> Steps { get; init; } = [];

    public IReadOnlyList<CounterResult> Counters { get; init; } = [];
    public IReadOnlyList<GaugeResult> Gauges { get; init; } = [];

    /// <summary>Custom latency distributions (e.g. end-to-end delivery latency).</summary>
    public IReadOnlyList<LatencyResult> Histograms { get; init; } = [];

    /// <summary>One point per second of the measured (non-warm-up) run.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries { get; init; } = [];

    /// <summary>Open model: iterations that started later than scheduled (beyond the lateness tolerance), and ones
    /// never started because the generator could not keep up.</summary>
    public long LateIterations { get; init; }
    public long DroppedIterations { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The custom histogram that is this scenario's headline latency (<see cref="Scenario.HeadlineLatency"/>);
    /// null = the iteration latency.</summary>
    public string? HeadlineLatency { get; init; }

    /// <summary>Set when init failed because the target did not answer (<see cref="TargetUnreachableException"/>).</summary>
    public string? TargetUnreachable { get; init; }

    /// <summary>The headline latency: the named histogram when it has samples, else the iteration latency.</summary>
    [JsonIgnore]
    public LatencyResult Headline =>
        HeadlineLatency is { } name && Histograms.FirstOrDefault(h => h.Name == name) is { Count: > 0 } h ? h : Iterations.Latency;

    /// <summary>"e2e latency" or "iteration latency": what <see cref="Headline"/> measures.</summary>
    [JsonIgnore]
    public string HeadlineName => ReferenceEquals(Headline, Iterations.Latency) ? "iteration latency" : Headline.Name;
}

public sealed record StepStats
{
    public required string Name { get; init; }
    public long OkCount { get; init; }
    public long FailCount { get; init; }
    [JsonIgnore] public long Count => OkCount + FailCount;
    [JsonIgnore] public double FailPercent => Count == 0 ? 0 : 100.0 * FailCount / Count;
    public double Rps { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }

    /// <summary>Latency of ok results (failures are counted, not timed).</summary>
    public required LatencyResult Latency { get; init; }

    /// <summary>Count per status code, ok and fail ("ok", "timeout", "refused", ...).</summary>
    public IReadOnlyList<StatusCount> Statuses { get; init; } = [];
}

public sealed record StatusCount(string StatusCode, bool IsError, long Count, string? SampleMessage = null);

/// <summary>Latency summary in milliseconds plus the raw histogram (microsecond resolution) for merging.</summary>
public sealed record LatencyResult
{
    public required string Name { get; init; }
    public long Count { get; init; }
    public double MinMs { get; init; }
    public double MeanMs { get; init; }
    public double MaxMs { get; init; }
    public double StdDevMs { get; init; }
    public double P50Ms { get; init; }
    public double P75Ms { get; init; }
    public double P95Ms { get; init; }
    public double P99Ms { get; init; }
    public double P999Ms { get; init; }

    /// <summary>HdrHistogram (values in microseconds), compressed and base64-encoded.</summary>
    public string? HistogramBase64 { get; init; }

    /// <summary>Value-at-percentile pairs for the distribution chart (percentile, ms).</summary>
    public IReadOnlyList<PercentilePoint> Distribution { get; init; } = [];
}

public sealed record PercentilePoint(double Percentile, double ValueMs);

public sealed record CounterResult(string Name, string Unit, long Value);

/// <summary>A gauge's min/mean/max/last over the per-second samples; <see cref="Merge"/> says how shards combine it.</summary>
public sealed record GaugeResult(string Name, string Unit, double Min, double Mean, double Max, double Last, GaugeMerge Merge = GaugeMerge.Sum);

public sealed record TimeSeriesPoint
{
    /// <summary>Seconds since the measured part of the run started.</summary>
    public double Second { get; init; }
    public double Rps { get; init; }
    public long Ok { get; init; }
    public long Fail { get; init; }
    public double P50Ms { get; init; }
    public double P99Ms { get; init; }
    public double MaxMs { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }

    /// <summary>Counter values (cumulative) and gauge values at this second, by metric name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>This second's whole-iteration latency histogram (microseconds, compressed, base64; null when the
    /// second had no ok result), so merged shards get exact per-second percentiles, not averages of percentiles.</summary>
    public string? LatencyHistogramBase64 { get; init; }
}

public sealed record ThresholdResult(string Scenario, string Expression, bool Passed, double? ActualValue, string Message);

/// <summary>How the load generator itself fared: when it, not the target, is the bottleneck, results say so.</summary>
public sealed record GeneratorHealth
{
    public double CpuPercentMean { get; init; }
    public double CpuPercentMax { get; init; }
    public double SchedulerLagP99Ms { get; init; }
    public double SchedulerLagMaxMs { get; init; }
    public long ThreadPoolQueueMax { get; init; }
    public int ThreadPoolThreadsMax { get; init; }

    /// <summary>Plain-words warnings, e.g. "generator CPU at 98% for 12 s: results may understate the target".</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    [JsonIgnore] public bool Saturated => Warnings.Count > 0;

    public IReadOnlyList<GeneratorSample> Samples { get; init; } = [];
}

public sealed record GeneratorSample(double Second, double CpuPercent, double SchedulerLagMs, long ThreadPoolQueue, int ThreadPoolThreads);
