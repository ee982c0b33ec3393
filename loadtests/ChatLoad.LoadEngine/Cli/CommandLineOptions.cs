using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>What the command line said. Null/empty means "not given" (the config file or code default applies).</summary>
internal sealed record CommandLineOptions
{
    public CommandKind Command { get; init; } = CommandKind.Run;
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public string? Target { get; init; }
    public int? Clients { get; init; }
    public double? Rate { get; init; }
    public TimeSpan? Duration { get; init; }
    public TimeSpan? WarmUp { get; init; }
    public string? ConfigFile { get; init; }
    public string? ReportDir { get; init; }
    public IReadOnlyList<ReportFormat>? ReportFormats { get; init; }
    public IReadOnlyList<string> Thresholds { get; init; } = [];
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public string? Name { get; init; }

    /// <summary><c>--assembly PATH</c> (repeatable): scenario assemblies to load beside the registered scenarios.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary><c>merge</c>: the shard result files.</summary>
    public IReadOnlyList<string> MergeInputs { get; init; } = [];

    /// <summary><c>diff</c>: the baseline result and the candidate result.</summary>
    public string? DiffBaseline { get; init; }
    public string? DiffCandidate { get; init; }

    /// <summary><c>diff --fail-if RULE</c>: regression rules such as <c>"e2e p99 &gt; +10%"</c>.</summary>
    public IReadOnlyList<string> FailIf { get; init; } = [];

    /// <summary><c>--cluster nats://HOST:PORT</c>: run the scenarios on agents instead of in this process.</summary>
    public string? Cluster { get; init; }

    /// <summary><c>--agents K</c>: the agents a cluster run needs.</summary>
    public int? Agents { get; init; }

    /// <summary><c>--agent-wait</c>, <c>--agent-timeout</c>, <c>--on-agent-loss</c>.</summary>
    public TimeSpan? AgentWait { get; init; }
    public TimeSpan? AgentTimeout { get; init; }
    public string? OnAgentLoss { get; init; }

    /// <summary><c>--iterations-on GROUP</c>: every scenario's iterations run only on that group's agents.</summary>
    public string? IterationsOn { get; init; }

    /// <summary><c>--metrics-port N</c>: serve the run's per-second figures for Prometheus on 127.0.0.1:N (0 = any free port).</summary>
    public int? MetricsPort { get; init; }

    /// <summary><c>--metrics-bind ADDR</c>: the address the metrics endpoint listens on (default 127.0.0.1).</summary>
    public string? MetricsBind { get; init; }

    /// <summary><c>agent</c>: the NATS server, the agent's name and group, and the local addresses its clients bind.</summary>
    public string? AgentNats { get; init; }
    public string? AgentName { get; init; }
    public string? AgentGroup { get; init; }
    public IReadOnlyList<string> AgentSourceAddresses { get; init; } = [];

    /// <summary>The help text, when <see cref="Command"/> is <see cref="CommandKind.Help"/>.</summary>
    public string HelpText { get; init; } = "";
}

internal enum CommandKind { Run, List, Help, Merge, Diff, Agent }
