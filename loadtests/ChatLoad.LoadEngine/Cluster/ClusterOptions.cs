namespace ChatLoad.LoadEngine.Cluster;

/// <summary>What a cluster run does when an agent stops reporting.</summary>
internal enum AgentLossPolicy
{
    /// <summary>The other agents go on; the report shows what the lost agent contributed until it was lost.</summary>
    Continue,

    /// <summary>The other agents are told to stop (drain, clean, report) at once.</summary>
    Stop,
}

/// <summary>A cluster run's coordinator settings (<c>--cluster</c>, <c>--agents</c> … or the config's <c>cluster</c>
/// section), each with its default and the reason for it.</summary>
internal sealed record ClusterRunOptions
{
    /// <summary>The NATS server every agent and the coordinator connect to, e.g. <c>nats://10.0.0.5:4222</c>.</summary>
    public required string NatsUrl { get; init; }

    /// <summary>How many agents the run needs (<c>--agents</c>): it starts once that many compatible, idle agents answered.</summary>
    public required int Agents { get; init; }

    /// <summary>How long to wait for them (<c>--agent-wait</c>). Default 30 s: agents already running answer within
    /// milliseconds; this is time to start the last one by hand.</summary>
    public TimeSpan AgentWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An agent silent this long is lost (<c>--agent-timeout</c>). Default 5 s: agents report every second,
    /// so five missed reports, not one late one under a busy generator's GC pause, make a loss — and it is found
    /// within a few seconds.</summary>
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>What to do when one is lost (<c>--on-agent-loss</c>). Default continue: what was measured stays
    /// measured, and the report (and exit code 1) says which agent was lost when.</summary>
    public AgentLossPolicy OnAgentLoss { get; init; } = AgentLossPolicy.Continue;

    /// <summary>How often the coordinator beats and the agents report. Default 1 s, the time series' resolution.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An agent that hears no heartbeat this long stops its run. Default 15 s: longer than any agent-side
    /// pause, short enough that an orphaned agent does not hold thousands of connections for long.</summary>
    public TimeSpan CoordinatorTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest one collective may wait for the other agents. Default 2 min: collectives sit at the ends
    /// of inits, where a slow agent may still be opening thousands of connections.</summary>
    public TimeSpan CollectiveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How far ahead the agreed start instant is set once every agent is ready. Default 500 ms: enough for
    /// the start message to reach agents a network away, short enough not to show.</summary>
    public TimeSpan StartLead { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one control request (assign, clock probe, start) may wait for its answer. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After a stop (Ctrl+C, or an agent lost under <see cref="AgentLossPolicy.Stop"/>), how long the
    /// remaining agents get to send their results. Default 60 s: drain and clean are bounded well inside it.</summary>
    public TimeSpan ResultWaitAfterStop { get; init; } = TimeSpan.FromSeconds(60);
}
