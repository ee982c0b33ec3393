using System.Text;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>One line per scenario with the figures most readers came for, before the detail.</summary>
internal static class AtAGlanceSection
{
    public static void Render(StringBuilder html, RunResult result)
    {
        html.Append("<section id=\"at-a-glance\">\n<h2>At a glance</h2>\n");
        // The headline latency is what the scenario is about: a chat scenario's end-to-end delivery, not its send call.
        var table = new HtmlTable(["Scenario", "Iterations", "Failed %", "RPS", "Latency", "p50 (ms)", "p99 (ms)", "max (ms)",
            "Late", "Dropped"], "figures glance");
        foreach (var scenario in result.Scenarios)
        {
            var all = scenario.Iterations;
            var headline = scenario.Headline;
            table.AddCells(null,
            [
                new HtmlCell(scenario.Name), new HtmlCell(Count(all.Count)),
                new HtmlCell(Percent(all.FailPercent), all.FailCount > 0 ? "bad" : null), new HtmlCell(Rate(all.Rps)),
                new HtmlCell(scenario.HeadlineName),
                new HtmlCell(Ms(headline.P50Ms)), new HtmlCell(Ms(headline.P99Ms)), new HtmlCell(Ms(headline.MaxMs)),
                new HtmlCell(Count(scenario.LateIterations), scenario.LateIterations > 0 ? "bad" : null),
                new HtmlCell(Count(scenario.DroppedIterations), scenario.DroppedIterations > 0 ? "bad" : null),
            ]);
        }
        html.Append(table.ToHtml()).Append("</section>\n");
    }
}
