using System.Text;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>Every threshold with a PASSED/FAILED verdict (row classes <c>passed</c>/<c>failed</c>, green/red).</summary>
internal static class ThresholdsSection
{
    public static void Render(StringBuilder html, RunResult result)
    {
        html.Append("<section id=\"thresholds\">\n<h2>Thresholds</h2>\n");
        if (result.Thresholds.Count == 0)
        {
            html.Append("<p class=\"muted\">No thresholds were set for this run, so it cannot fail on figures.</p>\n</section>\n");
            return;
        }
        var table = new HtmlTable(["Result", "Scenario", "Threshold", "Actual", "Message"], "figures thresholds", textColumns: [1, 2, 4]);
        foreach (var threshold in result.Thresholds)
        {
            table.AddCells(threshold.Passed ? "passed" : "failed",
            [
                new HtmlCell(threshold.Passed ? "✔ PASSED" : "✘ FAILED", "verdict"),
                new HtmlCell(threshold.Scenario),
                new HtmlCell(threshold.Expression, "mono"),
                new HtmlCell(threshold.ActualValue is { } actual ? Value(actual) : "n/a"),
                new HtmlCell(threshold.Message),
            ]);
        }
        html.Append(table.ToHtml()).Append("</section>\n");
    }
}
