namespace ChatLoad.LoadEngine.Results;

/// <summary>How a cluster run (<c>--cluster</c>) was spread: the agents, what each was given and contributed, their
/// clocks, and any that were lost. Null in <see cref="RunResult.Cluster"/> for a single-process run.</summary>
public sealed record ClusterSummary
{
    /// <summary>The NATS server the run went through.</summary>
    public required string NatsUrl { get; init; }

    /// <summary>The run's id (the same in every agent's log).</summary>
    public required string RunId { get; init; }

    /// <summary>What the run did when an agent was lost: "continue" or "stop".</summary>
    public string OnAgentLoss { get; init; } = "continue";

    /// <summary>The agents, in agent order.</summary>
    public required IReadOnlyList<ClusterAgentSummary> Agents { get; init; }

    /// <summary>Agents that answered the roll call but were refused, with the reason (e.g. a different build).</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];
}

/// <summary>One agent of a cluster run.</summary>
public sealed record ClusterAgentSummary
{
    /// <summary>Its <c>--name</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Its <c>--group</c> ("" for none).</summary>
    public string Group { get; init; } = "";

    /// <summary>Its host name.</summary>
    public string Machine { get; init; } = "";

    /// <summary>Its logical processors.</summary>
    public int Cores { get; init; }

    /// <summary>Its open-file limit.</summary>
    public int DescriptorLimit { get; init; }

    /// <summary>The local addresses its clients bound ("" = the kernel's choice).</summary>
    public IReadOnlyList<string> SourceAddresses { get; init; } = [];

    /// <summary>Its monotonic clock minus the coordinator's, ms, as measured at start.</summary>
    public double ClockOffsetMs { get; init; }

    /// <summary>Half the best probe's round trip: the offset is known to within this, ms.</summary>
    public double ClockUncertaintyMs { get; init; }

    /// <summary>Its wall clock minus the coordinator's, ms.</summary>
    public double WallClockOffsetMs { get; init; }

    /// <summary>True when it runs on the coordinator's machine (one monotonic clock: its timestamps need no correction).</summary>
    public bool SameClockAsCoordinator { get; init; }

    /// <summary>"completed", "lost", or "init failed: …" for a scenario.</summary>
    public required string Status { get; init; }

    /// <summary>When it was declared lost, in seconds since the run started; null if it was not.</summary>
    public double? LostAtSeconds { get; init; }

    /// <summary>Why it was declared lost.</summary>
    public string? LostReason { get; init; }

    /// <summary>What it was given and what it measured, per scenario.</summary>
    public IReadOnlyList<ClusterContribution> Contributions { get; init; } = [];
}

/// <summary>One agent's part of one scenario.</summary>
public sealed record ClusterContribution
{
    /// <summary>The scenario.</summary>
    public required string Scenario { get; init; }

    /// <summary>Clients it was given.</summary>
    public int Clients { get; init; }

    /// <summary>Its share of the load simulations, described.</summary>
    public IReadOnlyList<string> Load { get; init; } = [];

    /// <summary>Its ok iterations.</summary>
    public long Ok { get; init; }

    /// <summary>Its failed iterations.</summary>
    public long Fail { get; init; }

    /// <summary>Its counters' final values (for a lost agent: as of its last report).</summary>
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    /// <summary>True when this comes from its last live reports, not a finished result (it was lost).</summary>
    public bool Partial { get; init; }
}
