namespace ChatLoad.LoadEngine.Config;

/// <summary>The JSON config file (see README "Load test config"). Every member is optional; null means "not given".</summary>
internal sealed record LoadTestConfig
{
    public string? TestName { get; init; }
    public string? ReportFolder { get; init; }
    public IReadOnlyList<string>? ReportFormats { get; init; }
    public IReadOnlyList<string> Thresholds { get; init; } = [];
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    public EngineOptions? Engine { get; init; }
    public IReadOnlyList<ScenarioConfig> Scenarios { get; init; } = [];

    /// <summary>The <c>cluster</c> section: run on agents (the command line's --cluster … override it).</summary>
    public ClusterConfig? Cluster { get; init; }

    /// <summary><c>metricsPort</c>: serve the per-second figures for Prometheus (as --metrics-port).</summary>
    public int? MetricsPort { get; init; }
}

/// <summary>The config file's <c>cluster</c> section; each key as its command-line option.</summary>
internal sealed record ClusterConfig
{
    public string? Nats { get; init; }
    public int? Agents { get; init; }
    public TimeSpan? AgentWait { get; init; }
    public TimeSpan? AgentTimeout { get; init; }
    public string? OnAgentLoss { get; init; }
    public string? IterationsOn { get; init; }
}

/// <summary>One scenario's settings in the config file.</summary>
internal sealed record ScenarioConfig
{
    public required string Name { get; init; }
    public string? Target { get; init; }
    public int? Clients { get; init; }
    public double? Rate { get; init; }
    public TimeSpan? Duration { get; init; }
    public TimeSpan? WarmUp { get; init; }
    public IReadOnlyList<LoadSimulation>? LoadSimulations { get; init; }
    public IReadOnlyList<string> Thresholds { get; init; } = [];
    public IReadOnlyDictionary<string, string> CustomSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>In a cluster run: the agent group this scenario's iterations run on (null = every agent).</summary>
    public string? IterationsOn { get; init; }
}
