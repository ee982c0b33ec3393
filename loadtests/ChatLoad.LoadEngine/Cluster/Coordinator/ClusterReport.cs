using ChatLoad.LoadEngine.Cluster.Clock;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Cluster.Coordinator;

/// <summary>What a finished cluster run says about its agents: the summary kept in result.json, and its notes.</summary>
internal static class ClusterReport
{
    public static ClusterSummary Summary(ClusterRunOptions options, string runId, ClusterRunState state, IReadOnlyList<string> refused) => new()
    {
        NatsUrl = options.NatsUrl,
        RunId = runId,
        OnAgentLoss = options.OnAgentLoss.ToString().ToLowerInvariant(),
        Refused = refused,
        Agents = state.Agents.Select(a => new ClusterAgentSummary
        {
            Name = a.Name,
            Group = a.Hello.Group,
            Machine = a.Hello.Machine,
            Cores = a.Hello.Capacity.Cores,
            DescriptorLimit = a.Hello.Capacity.DescriptorLimit,
            SourceAddresses = a.Hello.Capacity.SourceAddresses,
            ClockOffsetMs = Math.Round(a.Clock.MonotonicOffsetNs / 1e6, 3),
            ClockUncertaintyMs = Math.Round(a.Clock.UncertaintyMs, 3),
            WallClockOffsetMs = Math.Round(a.Clock.WallOffsetMs, 3),
            SameClockAsCoordinator = a.Hello.BootId.Length > 0 && a.Hello.BootId == HostClock.BootId,
            Status = Status(a),
            LostAtSeconds = a.LostAtSeconds,
            LostReason = a.LostReason,
            Contributions = a.Scenarios.Select(kv => Contribution(a, kv.Key, kv.Value, state)).ToList(),
        }).ToList(),
    };

    public static IEnumerable<string> Notes(ClusterSummary summary)
    {
        yield return $"cluster run {summary.RunId} over {summary.NatsUrl}: {summary.Agents.Count} agents ({string.Join(", ", summary.Agents.Select(a => $"{a.Name} {a.Status}"))})";
        foreach (var agent in summary.Agents)
            yield return $"agent {agent.Name} clock: {agent.ClockOffsetMs:0.000} ms ± {agent.ClockUncertaintyMs:0.000} ms from the coordinator's" +
                         (agent.SameClockAsCoordinator ? " (same machine: one clock, no correction applied)" : " (another machine: latencies across it are corrected by this offset)");
        foreach (var agent in summary.Agents.Where(a => a.LostAtSeconds is not null))
            yield return $"agent {agent.Name} was lost at {agent.LostAtSeconds:0.0} s ({agent.LostReason}); the run went {(summary.OnAgentLoss == "stop" ? "no further on the other agents" : "on without it")}. " +
                         "Its figures are those of its last report; pairs of figures kept on different agents (deliveries one agent's senders expected, " +
                         "received on another's) do not balance across it: what it received after that report, and what it sent that was still in flight, is not known";
        foreach (var refusal in summary.Refused) yield return "refused: " + refusal;
    }

    private static string Status(AgentState agent)
    {
        if (agent.Lost) return "lost";
        var failed = agent.Scenarios.Where(s => s.Value.InitOk == false).Select(s => $"{s.Key} init failed: {s.Value.InitError}").ToList();
        return failed.Count > 0 ? string.Join("; ", failed) : "completed";
    }

    private static ClusterContribution Contribution(AgentState agent, string scenario, AgentScenarioState state, ClusterRunState run)
    {
        var result = agent.Result?.Scenarios.FirstOrDefault(s => s.Name == scenario);
        if (result is not null)
            return new ClusterContribution
            {
                Scenario = scenario,
                Clients = run.ClientShare(scenario, agent.Index),
                Load = result.LoadSimulations,
                Ok = result.Iterations.OkCount,
                Fail = result.Iterations.FailCount,
                Counters = result.Counters.ToDictionary(c => c.Name, c => c.Value),
            };
        var points = state.Points.Values.ToList();
        var last = points.LastOrDefault()?.Metrics ?? new Dictionary<string, double>();
        return new ClusterContribution
        {
            Scenario = scenario,
            Clients = run.ClientShare(scenario, agent.Index),
            Ok = points.Sum(p => p.Ok),
            Fail = points.Sum(p => p.Fail),
            Counters = state.Counters.Where(last.ContainsKey).ToDictionary(c => c, c => (long)last[c]),
            Partial = true,
        };
    }
}
