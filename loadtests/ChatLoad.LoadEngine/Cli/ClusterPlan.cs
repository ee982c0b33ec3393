using ChatLoad.LoadEngine.Cluster;
using ChatLoad.LoadEngine.Cluster.Coordinator;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>A cluster run's settings from the command line over the config file's <c>cluster</c> section, and where
/// the agents' own results are kept beside the merged report.</summary>
internal static class ClusterPlan
{
    /// <summary>Null for a single-process run; throws <see cref="UsageException"/> for an incomplete cluster section.</summary>
    public static ClusterRunOptions? Options(CommandLineOptions cli, LoadTestConfig config)
    {
        string? nats = cli.Cluster ?? config.Cluster?.Nats;
        if (nats is null)
        {
            if (config.Cluster is not null) throw new UsageException("config file: $.cluster: needs \"nats\": \"nats://HOST:PORT\" (or give --cluster)");
            return null;
        }
        int agents = cli.Agents ?? config.Cluster?.Agents
            ?? throw new UsageException("a cluster run needs the number of agents: --agents K (or \"agents\" in the config's cluster section)");
        var options = new ClusterRunOptions { NatsUrl = nats, Agents = agents };
        if ((cli.AgentWait ?? config.Cluster?.AgentWait) is { } wait) options = options with { AgentWait = wait };
        if ((cli.AgentTimeout ?? config.Cluster?.AgentTimeout) is { } timeout) options = options with { AgentTimeout = timeout };
        if ((cli.OnAgentLoss ?? config.Cluster?.OnAgentLoss) is { } loss)
            options = options with { OnAgentLoss = loss == "stop" ? AgentLossPolicy.Stop : AgentLossPolicy.Continue };
        return options;
    }

    /// <summary>Writes each agent's own result (a lost agent's: rebuilt from its reports) to
    /// <c>agents/NAME/result.json</c>; returns the folder.</summary>
    public static string WriteAgentResults(ClusterOutcome outcome, string reportFolder)
    {
        string folder = Path.Combine(reportFolder, "agents");
        foreach (var (agent, result) in outcome.AgentResults)
        {
            Directory.CreateDirectory(Path.Combine(folder, agent));
            File.WriteAllText(Path.Combine(folder, agent, "result.json"), RunResultJson.Serialize(result));
        }
        return folder;
    }
}
