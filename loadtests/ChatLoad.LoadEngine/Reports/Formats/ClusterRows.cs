using System.Globalization;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>The cluster section's tables, one model for every format: the agents (what each was given, its clock,
/// whether it was lost and when), and per scenario each agent's counters beside the merged total, so a reader can
/// check that the merge is the agents' sum.</summary>
internal static class ClusterRows
{
    public static readonly IReadOnlyList<string> AgentColumns =
        ["Agent", "Machine", "Group", "Cores", "Sources", "Clients", "Load", "OK", "Fail", "Clock offset (ms)", "± (ms)", "Clock", "Status"];

    public static IEnumerable<IReadOnlyList<string>> Agents(ClusterSummary cluster) =>
        cluster.Agents.Select(a => (IReadOnlyList<string>)
        [
            a.Name,
            a.Machine,
            a.Group.Length == 0 ? "-" : a.Group,
            a.Cores.ToString(CultureInfo.InvariantCulture),
            a.SourceAddresses.Count == 0 ? "kernel's choice" : string.Join(", ", a.SourceAddresses),
            string.Join(", ", a.Contributions.Select(c => $"{c.Scenario} {Count(c.Clients)}")),
            string.Join("; ", a.Contributions.Where(c => c.Load.Count > 0).Select(c => $"{c.Scenario}: {string.Join(", ", c.Load)}")),
            Count(a.Contributions.Sum(c => c.Ok)) + (a.Contributions.Any(c => c.Partial) ? " (until lost)" : ""),
            Count(a.Contributions.Sum(c => c.Fail)),
            a.ClockOffsetMs.ToString("0.000", CultureInfo.InvariantCulture),
            a.ClockUncertaintyMs.ToString("0.000", CultureInfo.InvariantCulture),
            a.SameClockAsCoordinator ? "same machine" : "corrected",
            a.LostAtSeconds is { } lost ? $"lost at {lost:0.0} s ({a.LostReason})" : a.Status,
        ]);

    /// <summary>Per scenario: one row per counter, a column per agent, then the merged result's value.</summary>
    public static IEnumerable<(string Scenario, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)> Counters(RunResult result)
    {
        if (result.Cluster is not { } cluster) yield break;
        foreach (var scenario in result.Scenarios)
        {
            var parts = cluster.Agents.Select(a => a.Contributions.FirstOrDefault(c => c.Scenario == scenario.Name)).ToList();
            var columns = new List<string> { "Counter" };
            columns.AddRange(cluster.Agents.Select(a => a.Name));
            columns.Add("merged");
            var rows = new List<IReadOnlyList<string>>
            {
                (IReadOnlyList<string>)["iterations ok", .. parts.Select(p => p is null ? "-" : Count(p.Ok)), Count(scenario.Iterations.OkCount)],
                (IReadOnlyList<string>)["iterations failed", .. parts.Select(p => p is null ? "-" : Count(p.Fail)), Count(scenario.Iterations.FailCount)],
            };
            foreach (var counter in scenario.Counters)
                rows.Add([counter.Name, .. parts.Select(p => p is not null && p.Counters.TryGetValue(counter.Name, out var v) ? Count(v) : "-"), Count(counter.Value)]);
            yield return (scenario.Name, columns, rows);
        }
    }

    public static string Caption(ClusterSummary cluster) =>
        $"{cluster.Agents.Count} agents over {cluster.NatsUrl} (run {cluster.RunId}); on an agent's loss the run went " +
        (cluster.OnAgentLoss == "stop" ? "no further (--on-agent-loss stop)." : "on without it (--on-agent-loss continue).") +
        " Clock offsets are each agent's monotonic clock minus the coordinator's; latencies between agents on one machine need none, " +
        "between machines they are corrected by it (counted as \"e2e clock-corrected\").";
}
