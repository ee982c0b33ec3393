using System.Text.Json.Serialization;

namespace ChatLoad.LoadEngine.Results;

// The complete raw result of a run, written as JSON (histograms included, HdrHistogram compressed + base64)
// so that shards can be merged and reports re-made from it. Every report format is rendered from this model alone.

/// <summary>Everything a run measured (NBomber's <c>NodeStats</c>): what <see cref="LoadRunner.RunAsync"/> returns,
/// what <c>result.json</c> holds and what every report is rendered from.</summary>
public sealed record RunResult
{
    /// <summary>Name, session, time, machine and the facts the scenarios added.</summary>
    public required TestInfo Info { get; init; }

    /// <summary>One result per scenario, in the order they were given.</summary>
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }

    /// <summary>Every threshold checked (and every failed init, as a failed threshold named "init").</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>The load generator's own CPU, scheduler lag and thread pool, with warnings when it was the bottleneck.</summary>
    public GeneratorHealth Generator { get; init; } = new();

    /// <summary>Extra sections a suite adds (e.g. the chat suite's server-side figures), rendered as tables/charts.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How many shard results were merged into this one (1 for a single process).</summary>
    public int ShardCount { get; init; } = 1;

    /// <summary>The agents of a cluster run and what each did; null for a single-process run.</summary>
    public ClusterSummary? Cluster { get; init; }

    /// <summary>True when no threshold broke (the exit code is then 0).</summary>
    [JsonIgnore] public bool AllThresholdsPassed => Thresholds.All(t => t.Passed);
}

/// <summary>What was run, when and where.</summary>
public sealed record TestInfo
{
    /// <summary><c>--name</c>, the config's <c>testName</c>, or the scenario names joined by "+".</summary>
    public required string TestName { get; init; }

    /// <summary>Unique per run: start time plus a random suffix.</summary>
    public required string SessionId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>Wall time of the whole run, init and clean included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The command line that ran it.</summary>
    public string Command { get; init; } = "";

    /// <summary>The generator's host name.</summary>
    public string Machine { get; init; } = Environment.MachineName;

    /// <summary>The generator's operating system.</summary>
    public string OperatingSystem { get; init; } = System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    /// <summary>The .NET runtime that ran it.</summary>
    public string Runtime { get; init; } = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <summary>The generator's logical processors.</summary>
    public int ProcessorCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Free-form facts the suite adds: target, server mode, CPU pinning, client count.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

/// <summary>One scenario's measured part (NBomber's <c>ScenarioStats</c>).</summary>
public sealed record ScenarioResult
{
    /// <summary>The scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>The measured time (warm-up excluded), which rates are computed over.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The load simulations, described ("inject 100/1s for 30s").</summary>
    public IReadOnlyList<string> LoadSimulations { get; init; } = [];

    /// <summary>Whole-iteration stats (NBomber's "global information").</summary>
    public required StepStats Iterations { get; init; }

    /// <summary>Stats of each named step, in first-seen order.</summary>
    public IReadOnlyList<StepStats> Steps { get; init; } = [];

    /// <summary>Custom counters, by name.</summary>
    public IReadOnlyList<CounterResult> Counters { get; init; } = [];

    /// <summary>Custom gauges, by name.</summary>
    public IReadOnlyList<GaugeResult> Gauges { get; init; } = [];

    /// <summary>Custom latency distributions (e.g. end-to-end delivery latency).</summary>
    public IReadOnlyList<LatencyResult> Histograms { get; init; } = [];

    /// <summary>One point per second of the measured (non-warm-up) run.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries { get; init; } = [];

    /// <summary>Open model: iterations that started later than scheduled (beyond the lateness tolerance), and ones
    /// never started because the generator could not keep up.</summary>
    public long LateIterations { get; init; }

    /// <summary>Open model: iterations never started because too many were in flight (see
    /// <see cref="EngineOptions.MaxInFlightSeconds"/>).</summary>
    public long DroppedIterations { get; init; }

    /// <summary>Lines from the scenario's init and clean, and the engine's remarks (init failed, iterations cut short).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The custom histogram that is this scenario's headline latency (<see cref="ScenarioProps.HeadlineLatency"/>);
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

/// <summary>The stats of whole iterations or of one named step.</summary>
public sealed record StepStats
{
    /// <summary>The step's name (the scenario's for whole iterations).</summary>
    public required string Name { get; init; }

    /// <summary>Ok results.</summary>
    public long OkCount { get; init; }

    /// <summary>Failed results (exceptions included).</summary>
    public long FailCount { get; init; }

    /// <summary>All results.</summary>
    [JsonIgnore] public long Count => OkCount + FailCount;

    /// <summary>Failures as a percentage of all results.</summary>
    [JsonIgnore] public double FailPercent => Count == 0 ? 0 : 100.0 * FailCount / Count;

    /// <summary>Results (ok and failed) per second of measured time.</summary>
    public double Rps { get; init; }

    /// <summary>Sum of <see cref="Response.SizeBytes"/>.</summary>
    public long BytesIn { get; init; }

    /// <summary>Sum of <see cref="Response.BytesSent"/>.</summary>
    public long BytesOut { get; init; }

    /// <summary>Latency of ok results (failures are counted, not timed).</summary>
    public required LatencyResult Latency { get; init; }

    /// <summary>Count per status code, ok and fail ("ok", "timeout", "refused", ...).</summary>
    public IReadOnlyList<StatusCount> Statuses { get; init; } = [];
}

/// <summary>How many results had one status.</summary>
/// <param name="StatusCode">The status (<see cref="Response.StatusCode"/>).</param>
/// <param name="IsError">True for failures.</param>
/// <param name="Count">Results with this status.</param>
/// <param name="SampleMessage">One of their messages, for the report.</param>
public sealed record StatusCount(string StatusCode, bool IsError, long Count, string? SampleMessage = null);

/// <summary>Latency summary in milliseconds plus the raw histogram (microsecond resolution) for merging.</summary>
public sealed record LatencyResult
{
    /// <summary>What was timed (a step, a scenario or a custom histogram).</summary>
    public required string Name { get; init; }

    /// <summary>Values recorded.</summary>
    public long Count { get; init; }

    /// <summary>Smallest value, ms.</summary>
    public double MinMs { get; init; }

    /// <summary>Mean, ms.</summary>
    public double MeanMs { get; init; }

    /// <summary>Largest value, ms.</summary>
    public double MaxMs { get; init; }

    /// <summary>Standard deviation, ms.</summary>
    public double StdDevMs { get; init; }

    /// <summary>Median, ms.</summary>
    public double P50Ms { get; init; }

    /// <summary>75th percentile, ms.</summary>
    public double P75Ms { get; init; }

    /// <summary>95th percentile, ms.</summary>
    public double P95Ms { get; init; }

    /// <summary>99th percentile, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>99.9th percentile, ms.</summary>
    public double P999Ms { get; init; }

    /// <summary>HdrHistogram (values in microseconds), compressed and base64-encoded.</summary>
    public string? HistogramBase64 { get; init; }

    /// <summary>Value-at-percentile pairs for the distribution chart (percentile, ms).</summary>
    public IReadOnlyList<PercentilePoint> Distribution { get; init; } = [];
}

/// <summary>One point of a latency distribution.</summary>
/// <param name="Percentile">0..100.</param>
/// <param name="ValueMs">The latency at that percentile, ms.</param>
public sealed record PercentilePoint(double Percentile, double ValueMs);

/// <summary>A custom counter's final value.</summary>
/// <param name="Name">The counter's name.</param>
/// <param name="Unit">Its unit of measure.</param>
/// <param name="Value">The final count.</param>
public sealed record CounterResult(string Name, string Unit, long Value);

/// <summary>A gauge's min/mean/max/last over the per-second samples; <see cref="Merge"/> says how shards combine it.</summary>
/// <param name="Name">The gauge's name.</param>
/// <param name="Unit">Its unit of measure.</param>
/// <param name="Min">Lowest sample.</param>
/// <param name="Mean">Mean of the samples.</param>
/// <param name="Max">Highest sample.</param>
/// <param name="Last">The last sample (taken after the drain, before clean).</param>
/// <param name="Merge">How shards combine it.</param>
public sealed record GaugeResult(string Name, string Unit, double Min, double Mean, double Max, double Last, GaugeMerge Merge = GaugeMerge.Sum);

/// <summary>One second of a scenario's measured run.</summary>
public sealed record TimeSeriesPoint
{
    /// <summary>Seconds since the measured part of the run started.</summary>
    public double Second { get; init; }

    /// <summary>Results per second in this interval.</summary>
    public double Rps { get; init; }

    /// <summary>Ok results in this interval.</summary>
    public long Ok { get; init; }

    /// <summary>Failed results in this interval.</summary>
    public long Fail { get; init; }

    /// <summary>This interval's median latency, ms.</summary>
    public double P50Ms { get; init; }

    /// <summary>This interval's 99th percentile latency, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>This interval's largest latency, ms.</summary>
    public double MaxMs { get; init; }

    /// <summary>Bytes received in this interval.</summary>
    public long BytesIn { get; init; }

    /// <summary>Bytes sent in this interval.</summary>
    public long BytesOut { get; init; }

    /// <summary>Counter values (cumulative) and gauge values at this second, by metric name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>This second's whole-iteration latency histogram (microseconds, compressed, base64; null when the
    /// second had no ok result), so merged shards get exact per-second percentiles, not averages of percentiles.</summary>
    public string? LatencyHistogramBase64 { get; init; }
}

/// <summary>One threshold's verdict.</summary>
/// <param name="Scenario">The scenario it was checked on.</param>
/// <param name="Expression">The threshold as written ("init" for a failed init).</param>
/// <param name="Passed">True when it held.</param>
/// <param name="ActualValue">The measured value, when there was one.</param>
/// <param name="Message">Plain words: what was measured against what.</param>
public sealed record ThresholdResult(string Scenario, string Expression, bool Passed, double? ActualValue, string Message);

/// <summary>How the load generator itself fared: when it, not the target, is the bottleneck, results say so.</summary>
public sealed record GeneratorHealth
{
    /// <summary>The generator process's mean CPU, % of one core per core (100 = all cores busy).</summary>
    public double CpuPercentMean { get; init; }

    /// <summary>Its highest one-second CPU.</summary>
    public double CpuPercentMax { get; init; }

    /// <summary>99th percentile of how late a timer fired, ms: a busy generator schedules late.</summary>
    public double SchedulerLagP99Ms { get; init; }

    /// <summary>The latest a timer fired, ms.</summary>
    public double SchedulerLagMaxMs { get; init; }

    /// <summary>Longest thread-pool queue seen.</summary>
    public long ThreadPoolQueueMax { get; init; }

    /// <summary>Most thread-pool threads seen.</summary>
    public int ThreadPoolThreadsMax { get; init; }

    /// <summary>Plain-words warnings, e.g. "generator CPU at 98% for 12 s: results may understate the target".</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the generator may have been the bottleneck.</summary>
    [JsonIgnore] public bool Saturated => Warnings.Count > 0;

    /// <summary>One sample a second.</summary>
    public IReadOnlyList<GeneratorSample> Samples { get; init; } = [];
}

/// <summary>One second of the generator's own health.</summary>
/// <param name="Second">Seconds since the run started.</param>
/// <param name="CpuPercent">CPU in that second.</param>
/// <param name="SchedulerLagMs">How late the sampling timer fired.</param>
/// <param name="ThreadPoolQueue">Thread-pool work items waiting.</param>
/// <param name="ThreadPoolThreads">Thread-pool threads.</param>
public sealed record GeneratorSample(double Second, double CpuPercent, double SchedulerLagMs, long ThreadPoolQueue, int ThreadPoolThreads);
