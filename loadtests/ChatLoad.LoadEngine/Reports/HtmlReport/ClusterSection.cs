using System.Text;
using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>A cluster run's agents and each one's share of the counters beside the merged total.</summary>
internal static class ClusterSection
{
    public static void Render(StringBuilder html, RunResult result)
    {
        if (result.Cluster is not { } cluster) return;
        html.Append("<section id=\"cluster\">\n<h2>Cluster</h2>\n<p>").Append(HtmlText.Encode(ClusterRows.Caption(cluster))).Append("</p>\n");
        var agents = new HtmlTable(ClusterRows.AgentColumns, "figures cluster", [0, 1, 2, 4, 5, 6, 11, 12]);
        foreach (var (row, agent) in ClusterRows.Agents(cluster).Zip(cluster.Agents))
            agents.AddWithClass(agent.LostAtSeconds is null ? null : "failed", row);
        html.Append(agents.ToHtml());
        foreach (var refusal in cluster.Refused) html.Append("<p class=\"note\">refused: ").Append(HtmlText.Encode(refusal)).Append("</p>\n");
        foreach (var (scenario, columns, rows) in ClusterRows.Counters(result))
        {
            html.Append("<h3>").Append(HtmlText.Encode(scenario)).Append(": each agent's counters and the merge</h3>\n");
            var table = new HtmlTable(columns, "figures cluster-counters");
            foreach (var row in rows) table.Add(row);
            html.Append(table.ToHtml());
        }
        html.Append("</section>\n");
    }
}
