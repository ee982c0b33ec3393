using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.Cluster.Protocol;

// The messages of the cluster protocol (ClusterProtocol.Version). Each is JSON on the wire (ClusterJson).

/// <summary>What an agent can carry.</summary>
/// <param name="Cores">Logical processors.</param>
/// <param name="DescriptorLimit">Its open-file limit (soft), or 0 when unknown.</param>
/// <param name="MaxClients">Connections it will open: the descriptor limit less a reserve, and at most one source
/// address's ephemeral ports per source address.</param>
/// <param name="SourceAddresses">Local addresses its clients may bind (<c>--source-ip</c>); empty = the kernel's choice.</param>
internal sealed record AgentCapacityReport(int Cores, int DescriptorLimit, int MaxClients, IReadOnlyList<string> SourceAddresses);

/// <summary>An agent announcing itself (on start, and in answer to a coordinator's roll call).</summary>
internal sealed record AgentHello
{
    public required string Name { get; init; }
    public string Group { get; init; } = "";
    public required int Protocol { get; init; }
    public required string EngineVersion { get; init; }
    public string BuildId { get; init; } = "";
    public string Machine { get; init; } = "";
    public string OperatingSystem { get; init; } = "";
    public required AgentCapacityReport Capacity { get; init; }
    public string BootId { get; init; } = "";
    public long TimestampFrequency { get; init; }

    /// <summary>The run it is busy with, or null when free.</summary>
    public string? BusyWith { get; init; }

    /// <summary>The scenarios it can run (registered and <c>--assembly</c>).</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];
}

/// <summary>An agent's clocks, read when a clock probe arrived.</summary>
internal sealed record ClockReading(long Timestamp, long Frequency, DateTimeOffset Utc);

/// <summary>Timing limits of one run, sent to every agent so both sides apply the same.</summary>
/// <param name="HeartbeatInterval">How often the coordinator beats and each agent reports progress.</param>
/// <param name="CoordinatorTimeout">An agent that hears nothing from its coordinator this long stops its run.</param>
/// <param name="CollectiveTimeout">The longest a collective (all-gather, sum, barrier) may wait for the other agents.</param>
internal sealed record ClusterTiming(TimeSpan HeartbeatInterval, TimeSpan CoordinatorTimeout, TimeSpan CollectiveTimeout);

/// <summary>A run offered to one agent.</summary>
internal sealed record RunAssignment
{
    public required string RunId { get; init; }
    public required int Protocol { get; init; }
    public required string EngineVersion { get; init; }
    public required string TestName { get; init; }
    public string Command { get; init; } = "";
    public required int AgentIndex { get; init; }
    public required IReadOnlyList<ClusterPeer> Agents { get; init; }
    public required IReadOnlyList<ScenarioAssignment> Scenarios { get; init; }
    public IReadOnlyList<string> RunThresholds { get; init; } = [];
    public required EngineOptions Engine { get; init; }
    public required ClusterTiming Timing { get; init; }
}

/// <summary>One scenario's share for one agent: the settings its factory builds it from, and the load it runs.</summary>
internal sealed record ScenarioAssignment
{
    public required string Name { get; init; }
    public string? Target { get; init; }

    /// <summary>This agent's clients (null when the run gave no client count).</summary>
    public int? Clients { get; init; }

    /// <summary>This agent's share of <c>--rate</c> (null when not given or when it runs no iterations).</summary>
    public double? Rate { get; init; }
    public TimeSpan? Duration { get; init; }
    public TimeSpan WarmUp { get; init; }
    public IReadOnlyDictionary<string, string> Custom { get; init; } = new Dictionary<string, string>();

    /// <summary>This agent's share of every load simulation, replacing what the factory would build.</summary>
    public required IReadOnlyList<SimulationSpec> LoadSimulations { get; init; }

    /// <summary>The scenario's thresholds as the coordinator built them (code and config file).</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];
    public required IReadOnlyList<int> ClientShares { get; init; }
    public bool RunsIterations { get; init; } = true;
}

/// <summary>A load simulation on the wire (the config file's field names).</summary>
internal sealed record SimulationSpec(string Type, int Rate = 0, TimeSpan? Interval = null, TimeSpan? During = null, int Copies = 0, long Iterations = 0, TimeSpan? Timeout = null)
{
    public static SimulationSpec From(LoadSimulation simulation) => simulation switch
    {
        InjectSimulation s => new("inject", Rate: s.Rate, Interval: s.Interval, During: s.During),
        RampingInjectSimulation s => new("rampingInject", Rate: s.Rate, Interval: s.Interval, During: s.During),
        KeepConstantSimulation s => new("keepConstant", Copies: s.Copies, During: s.During),
        RampingConstantSimulation s => new("rampingConstant", Copies: s.Copies, During: s.During),
        IterationsForConstantSimulation s => new("iterationsForConstant", Copies: s.Copies, Iterations: s.Iterations, Timeout: s.Timeout),
        PauseSimulation s => new("pause", During: s.During),
        _ => throw new ArgumentException($"load simulation {simulation.GetType().Name} cannot be sent to an agent"),
    };

    public LoadSimulation ToSimulation() => Type switch
    {
        "inject" => new InjectSimulation(Rate, Interval ?? TimeSpan.FromSeconds(1), During ?? TimeSpan.Zero),
        "rampingInject" => new RampingInjectSimulation(Rate, Interval ?? TimeSpan.FromSeconds(1), During ?? TimeSpan.Zero),
        "keepConstant" => new KeepConstantSimulation(Copies, During ?? TimeSpan.Zero),
        "rampingConstant" => new RampingConstantSimulation(Copies, During ?? TimeSpan.Zero),
        "iterationsForConstant" => new IterationsForConstantSimulation(Copies, Iterations, Timeout ?? TimeSpan.Zero),
        "pause" => new PauseSimulation(During ?? TimeSpan.Zero),
        _ => throw new FormatException($"unknown load simulation type '{Type}'"),
    };
}

/// <summary>An agent's answer to an assignment.</summary>
internal sealed record AssignReply(bool Accepted, string? Reason = null);

/// <summary>An agent's scenario finished its init (or failed it) and waits for the start.</summary>
internal sealed record ReadyReport(string Agent, string Scenario, bool InitOk, string? Error = null);

/// <summary>Start the scenario's load when the agent's own clock reads <see cref="StartTimestamp"/>.</summary>
internal sealed record StartSignal(string RunId, string Scenario, long StartTimestamp);

/// <summary>Stop the run now (drain, clean, and still send the result), or drop it (abort).</summary>
internal sealed record StopSignal(string RunId, string Reason);

/// <summary>A receipt.</summary>
internal sealed record Ack(bool Ok, string? Error = null);

/// <summary>Once a second from every agent of a run: where each scenario stands and its newest seconds. Doubles as the
/// agent's heartbeat.</summary>
internal sealed record ProgressReport
{
    public required string Agent { get; init; }
    public long Sequence { get; init; }
    public required IReadOnlyList<ScenarioReport> Scenarios { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public GeneratorSample? Generator { get; init; }
}

/// <summary>One scenario in a progress report: the live figures, and the time-series points from
/// <see cref="FirstPoint"/> on (the last few, so a lost message loses no second).</summary>
internal sealed record ScenarioReport
{
    public required ScenarioProgress Progress { get; init; }
    public int FirstPoint { get; init; }
    public IReadOnlyList<TimeSeriesPoint> Points { get; init; } = [];

    /// <summary>Which of the points' metrics are counters (cumulative), and which gauges every agent observes alike.</summary>
    public IReadOnlyList<string> Counters { get; init; } = [];
    public IReadOnlyList<string> SharedGauges { get; init; } = [];
}
