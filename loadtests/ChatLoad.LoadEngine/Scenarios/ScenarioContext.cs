using ChatLoad.LoadEngine.Stats;
using Microsoft.Extensions.Logging;

namespace ChatLoad.LoadEngine;

/// <summary>Which scenario and which copy of it is running (NBomber's <c>ScenarioInfo</c>).</summary>
public sealed class ScenarioInfo
{
    internal ScenarioInfo(string scenarioName, int instanceNumber, TimeSpan scenarioDuration)
    {
        ScenarioName = scenarioName;
        InstanceNumber = instanceNumber;
        InstanceId = $"{scenarioName}_{instanceNumber}";
        ScenarioDuration = scenarioDuration;
    }

    /// <summary>The scenario's name.</summary>
    public string ScenarioName { get; }

    /// <summary>Which concurrent copy runs this iteration, from 0 (closed model: a copy is one virtual user and
    /// keeps its number; open model: the number of a reusable slot). <c>ClientPool.GetClient(InstanceNumber)</c>
    /// gives each copy its own client.</summary>
    public int InstanceNumber { get; }

    /// <summary><c>"&lt;scenario&gt;_&lt;instance number&gt;"</c>.</summary>
    public string InstanceId { get; }

    /// <summary>The planned measured duration: the load simulations' durations added up.</summary>
    public TimeSpan ScenarioDuration { get; }
}

/// <summary>What one iteration of a scenario sees (NBomber's <c>IScenarioContext</c>). One instance per scenario
/// copy (closed model) or per iteration slot (open model); the engine reuses instances, so keep no reference to it
/// past the iteration.</summary>
public sealed class ScenarioContext
{
    private Dictionary<string, object>? _data;
    private Dictionary<string, object>? _instanceData;

    internal ScenarioContext(ScenarioInfo info, ScenarioMetrics metrics, IReadOnlyDictionary<string, string> customSettings,
        TimeProvider time, ILogger logger, CancellationToken scenarioCancellationToken, ScenarioStatsCollector? stats)
    {
        ScenarioInfo = info;
        Metrics = metrics;
        CustomSettings = customSettings;
        Time = time;
        Logger = logger;
        ScenarioCancellationToken = scenarioCancellationToken;
        Stats = stats;
    }

    /// <summary>A context made outside the engine, so scenario code can be unit-tested: steps run untimed and
    /// nothing is recorded except into <paramref name="metrics"/>.</summary>
    public static ScenarioContext ForTesting(string scenarioName, ScenarioMetrics metrics, TimeProvider? time = null,
        IReadOnlyDictionary<string, string>? customSettings = null, int instanceNumber = 0, ILogger? logger = null,
        CancellationToken cancellationToken = default) =>
        new(new ScenarioInfo(scenarioName, instanceNumber, TimeSpan.Zero), metrics, customSettings ?? new Dictionary<string, string>(),
            time ?? TimeProvider.System, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken, stats: null);

    /// <summary>Which scenario and which copy of it this is.</summary>
    public ScenarioInfo ScenarioInfo { get; }

    /// <summary>Counts this scenario's iterations from 1 (as NBomber does), warm-up included.</summary>
    public long InvocationNumber { get; internal set; }

    /// <summary>When the iteration was due, in <see cref="TimeProvider.GetTimestamp"/> ticks. In the open model the
    /// latency is measured from here, not from when it actually started, so a late generator cannot hide latency
    /// (coordinated omission).</summary>
    public long ScheduledTimestamp { get; internal set; }

    /// <summary>True while the warm-up runs: results are not counted (NBomber's <c>NodeInfo.CurrentOperation</c>).</summary>
    public bool IsWarmUp { get; internal set; }

    /// <summary>The scenario's custom metrics (see <see cref="ScenarioMetrics"/>).</summary>
    public ScenarioMetrics Metrics { get; }

    /// <summary>The scenario's settings: its code defaults, then the config file's <c>customSettings</c>, then
    /// <c>--set key=value</c>.</summary>
    public IReadOnlyDictionary<string, string> CustomSettings { get; }

    /// <summary>The run's clock; use it (not <see cref="DateTime.UtcNow"/>) so tests can run on fake time.</summary>
    public TimeProvider Time { get; }

    /// <summary>Writes to <c>log.txt</c> in the report folder, one line per entry with time and scenario.</summary>
    public ILogger Logger { get; }

    /// <summary>Cancelled when the run stops (end of the last simulation plus the drain, or Ctrl+C): pass it to every
    /// wait, so an iteration cut short ends quietly instead of counting as a failure.</summary>
    public CancellationToken ScenarioCancellationToken { get; }

    /// <summary>Data shared by the steps of one iteration; cleared after each iteration (allocated on first use).</summary>
    public Dictionary<string, object> Data => _data ??= new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>Data that lives as long as this copy (a virtual user's session, token ...); allocated on first use.</summary>
    public Dictionary<string, object> ScenarioInstanceData => _instanceData ??= new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>A thread-safe random number generator (<see cref="System.Random.Shared"/>).</summary>
    public Random Random => Random.Shared;

    /// <summary>Where <see cref="Step.Run"/> records; null for a context made by <see cref="ForTesting"/>.</summary>
    internal ScenarioStatsCollector? Stats { get; }

    internal void EndIteration() => _data?.Clear();
}

/// <summary>What a scenario's init and clean functions see (NBomber's <c>IScenarioInitContext</c>).</summary>
public sealed class ScenarioInitContext
{
    private readonly ScenarioMetricsCollector _metrics;

    internal ScenarioInitContext(ScenarioInfo info, ScenarioMetricsCollector metrics, IReadOnlyDictionary<string, string> customSettings,
        TimeProvider time, ILogger logger, IReadOnlyList<LoadSimulation> loadSimulations, CancellationToken cancellationToken, ClusterShare? cluster = null)
    {
        Cluster = cluster;
        ScenarioInfo = info;
        _metrics = metrics;
        CustomSettings = customSettings;
        Time = time;
        Logger = logger;
        LoadSimulations = loadSimulations;
        CancellationToken = cancellationToken;
    }

    /// <summary>The scenario (instance number 0).</summary>
    public ScenarioInfo ScenarioInfo { get; }

    /// <summary>The scenario's custom metrics by name (see <see cref="ScenarioMetrics"/>).</summary>
    public ScenarioMetrics Metrics => _metrics;

    /// <summary>See <see cref="ScenarioContext.CustomSettings"/>.</summary>
    public IReadOnlyDictionary<string, string> CustomSettings { get; }

    /// <summary>The run's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>See <see cref="ScenarioContext.Logger"/>.</summary>
    public ILogger Logger { get; }

    /// <summary>Init: cancelled by Ctrl+C. Clean: cancelled when <see cref="EngineOptions.CleanTimeout"/> passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The load simulations the scenario will run (init can size pools from them).</summary>
    public IReadOnlyList<LoadSimulation> LoadSimulations { get; }

    /// <summary>This agent's part of a cluster run (its clients, the collectives that agree with the other agents);
    /// null outside a cluster run. See <see cref="ClusterShare"/>.</summary>
    public ClusterShare? Cluster { get; }

    /// <summary>Lines the scenario wants in the report's notes (e.g. "12 clients dropped as slow consumers").</summary>
    public List<string> Notes { get; } = new();

    /// <summary>Facts for the report's test info (e.g. "server mode" = "async"), merged into
    /// <see cref="Results.TestInfo.Properties"/>. Init and clean may both add to it.</summary>
    public Dictionary<string, string> Properties { get; } = new();

    /// <summary>Adds a counter made by <see cref="Metric.CreateCounter"/> to this scenario (NBomber's <c>RegisterMetric</c>).</summary>
    public void RegisterMetric(MetricCounter counter) => _metrics.Register(counter);

    /// <summary>Adds a gauge made by <see cref="Metric.CreateGauge"/> to this scenario.</summary>
    public void RegisterMetric(MetricGauge gauge) => _metrics.Register(gauge);

    /// <summary>Adds a histogram made by <see cref="Metric.CreateHistogram"/> to this scenario.</summary>
    public void RegisterMetric(MetricHistogram histogram) => _metrics.Register(histogram);
}
