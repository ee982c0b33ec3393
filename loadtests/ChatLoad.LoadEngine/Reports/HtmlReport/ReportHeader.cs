using System.Text;
using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>
/// The top of the report: title, status badges, then every warning in a coloured banner before any figure, because a
/// reader who skims only the top must still learn that the generator was saturated or a threshold failed.
/// </summary>
internal static class ReportHeader
{
    public static void Render(StringBuilder html, RunResult result, string title)
    {
        var info = result.Info;
        html.Append("<header>\n<h1>").Append(HtmlText.Encode(title)).Append("</h1>\n");
        html.Append("<p class=\"subtitle\">ChatLoad report · started ").Append(HtmlText.Encode(Timestamp(info.Started)))
            .Append(" · duration ").Append(HtmlText.Encode(Duration(info.Duration)))
            .Append(" · ").Append(result.Scenarios.Count).Append(result.Scenarios.Count == 1 ? " scenario" : " scenarios")
            .Append(" · ").Append(result.ShardCount).Append(result.ShardCount == 1 ? " generator process" : " generator shards merged")
            .Append("</p>\n");

        html.Append("<p id=\"status\">");
        var failedThresholds = result.Thresholds.Count(t => !t.Passed);
        if (result.Thresholds.Count == 0) html.Append("<span class=\"badge warn\">no thresholds set</span> ");
        else
            html.Append(failedThresholds == 0 ? "<span class=\"badge ok\">" : "<span class=\"badge bad\">")
                .Append($"thresholds: {result.Thresholds.Count - failedThresholds} of {result.Thresholds.Count} passed</span> ");
        // One badge for the generator, agreeing with the banners below: "kept up" only when nothing at all was late.
        var lateOrDropped = result.Scenarios.Sum(s => s.LateIterations + s.DroppedIterations);
        if (result.Generator.Saturated)
        {
            html.Append("<span class=\"badge bad\">load generator saturated</span> ");
            if (lateOrDropped > 0) html.Append("<span class=\"badge warn\">").Append(Count(lateOrDropped)).Append(" late or dropped iterations</span>");
        }
        else
        {
            html.Append(lateOrDropped > 0
                ? $"<span class=\"badge warn\">load generator fell behind its schedule: {Count(lateOrDropped)} late or dropped iterations</span> "
                : "<span class=\"badge ok\">load generator kept up</span> ");
        }
        html.Append("</p>\n");

        RenderWarnings(html, result);
        RenderToc(html, result);
        html.Append("</header>\n");
    }

    private static void RenderWarnings(StringBuilder html, RunResult result)
    {
        html.Append("<div id=\"warnings\">\n");
        if (result.Generator.Warnings.Count > 0)
        {
            html.Append("<div class=\"banner banner-bad\" id=\"generator-warnings\"><h2>The load generator was a bottleneck: "
                + "the figures below may understate what the target can do</h2><ul>");
            foreach (var warning in result.Generator.Warnings) html.Append("<li>").Append(HtmlText.Encode(warning)).Append("</li>");
            html.Append("</ul></div>\n");
        }
        var failed = result.Thresholds.Where(t => !t.Passed).ToList();
        if (failed.Count > 0)
        {
            html.Append("<div class=\"banner banner-bad\" id=\"threshold-warnings\"><h2>")
                .Append($"{failed.Count} of {result.Thresholds.Count} thresholds failed</h2><ul>");
            foreach (var threshold in failed)
                html.Append("<li>").Append(HtmlText.Encode($"{threshold.Scenario}: {threshold.Expression}"
                    + (threshold.ActualValue is { } actual ? $" (actual {Value(actual)})" : "")
                    + (threshold.Message.Length > 0 ? $" — {threshold.Message}" : ""))).Append("</li>");
            html.Append("</ul></div>\n");
        }
        // The engine's generator warnings already speak of schedule lateness; a second banner would repeat them.
        List<ScenarioResult> behind = result.Generator.Warnings.Count > 0 ? []
            : result.Scenarios.Where(s => s.LateIterations > 0 || s.DroppedIterations > 0).ToList<ScenarioResult>();
        if (behind.Count > 0)
        {
            html.Append("<div class=\"banner banner-warn\" id=\"schedule-warnings\"><h2>The generator fell behind its schedule</h2><ul>");
            foreach (var scenario in behind)
                html.Append("<li>").Append(HtmlText.Encode($"{scenario.Name}: {Count(scenario.LateIterations)} iterations started late, "
                    + $"{Count(scenario.DroppedIterations)} dropped. Latency is measured from the scheduled start, so lateness is included in it."))
                    .Append("</li>");
            html.Append("</ul></div>\n");
        }
        if (ReportRows.Warnings(result).Count == 0)
            html.Append("<div class=\"banner banner-good\" id=\"no-warnings\">No warnings: the generator kept up with its schedule"
                + (result.Thresholds.Count > 0 ? " and every threshold passed." : ".") + "</div>\n");
        html.Append("</div>\n");
    }

    private static void RenderToc(StringBuilder html, RunResult result)
    {
        html.Append("<nav class=\"toc\"><a href=\"#at-a-glance\">At a glance</a><a href=\"#test-info\">Test</a><a href=\"#thresholds\">Thresholds</a>");
        for (var i = 0; i < result.Scenarios.Count; i++)
            html.Append($"<a href=\"#{ScenarioSection.AnchorOf(i)}\">").Append(HtmlText.Encode(result.Scenarios[i].Name)).Append("</a>");
        html.Append("<a href=\"#generator\">Load generator</a>");
        if (result.Notes.Count > 0) html.Append("<a href=\"#notes\">Notes</a>");
        html.Append("</nav>\n");
    }
}
