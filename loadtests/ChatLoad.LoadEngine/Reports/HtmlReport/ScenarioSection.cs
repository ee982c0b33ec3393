using System.Globalization;
using System.Text;
using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>One scenario: request and latency tables per step, its charts, failures, and custom metrics.</summary>
internal static class ScenarioSection
{
    public static string AnchorOf(int index) => "scenario-" + (index + 1).ToString(CultureInfo.InvariantCulture);

    public static void Render(StringBuilder html, ScenarioResult scenario, int index)
    {
        html.Append($"<section class=\"scenario\" id=\"{AnchorOf(index)}\" data-scenario=\"{HtmlText.Encode(scenario.Name)}\">\n");
        html.Append("<h2>Scenario: ").Append(HtmlText.Encode(scenario.Name)).Append("</h2>\n");
        html.Append("<p class=\"muted\">Measured for ").Append(HtmlText.Encode(Duration(scenario.Duration)))
            .Append(" (warm-up excluded). Late iterations: <span class=\"late-iterations\">").Append(Count(scenario.LateIterations))
            .Append("</span>, dropped iterations: <span class=\"dropped-iterations\">").Append(Count(scenario.DroppedIterations))
            .Append("</span>.</p>\n");
        if (scenario.LoadSimulations.Count > 0)
        {
            html.Append("<p>Load: ");
            html.AppendJoin(" → ", scenario.LoadSimulations.Select(s => "<code>" + HtmlText.Encode(s) + "</code>"));
            html.Append("</p>\n");
        }

        RenderRequests(html, scenario);
        RenderLatency(html, scenario);
        ScenarioCharts.Render(html, scenario);
        RenderFailures(html, scenario);
        CustomMetricsSection.Render(html, scenario);

        if (scenario.Notes.Count > 0)
        {
            html.Append("<h3>Notes</h3>\n<ul class=\"notes\">");
            foreach (var note in scenario.Notes) html.Append("<li>").Append(HtmlText.Encode(note)).Append("</li>");
            html.Append("</ul>\n");
        }
        html.Append("</section>\n");
    }

    private static void RenderRequests(StringBuilder html, ScenarioResult scenario)
    {
        html.Append("<h3>Requests</h3>\n");
        var table = new HtmlTable(["Step", "OK", "Failed", "Failed %", "RPS", "Bytes in", "Bytes out"], "figures requests");
        foreach (var (label, stats) in ReportRows.StatsRows(scenario))
        {
            var failClass = stats.FailCount > 0 ? "bad" : null;
            table.AddCells(label == ReportRows.AllIterationsLabel ? "all-iterations" : "step",
            [
                new HtmlCell(label), new HtmlCell(Count(stats.OkCount)), new HtmlCell(Count(stats.FailCount), failClass),
                new HtmlCell(Percent(stats.FailPercent), failClass), new HtmlCell(Rate(stats.Rps)),
                new HtmlCell(BytesIfMeasured(stats.BytesIn)), new HtmlCell(BytesIfMeasured(stats.BytesOut)),
            ]);
        }
        html.Append(table.ToHtml());
    }

    private static void RenderLatency(StringBuilder html, ScenarioResult scenario)
    {
        html.Append("<h3>Latency (ms)</h3>\n<p class=\"muted\">Of successful iterations and steps; failures are counted, not timed.</p>\n");
        var table = new HtmlTable(["Step", "Count", .. ReportRows.LatencyColumns], "figures latency");
        foreach (var (label, stats) in ReportRows.StatsRows(scenario))
            table.AddWithClass(label == ReportRows.AllIterationsLabel ? "all-iterations" : "step",
                [label, Count(stats.Latency.Count), .. ReportRows.LatencyValues(stats.Latency).Select(Ms)]);
        html.Append(table.ToHtml());
    }

    private static void RenderFailures(StringBuilder html, ScenarioResult scenario)
    {
        html.Append("<h3>Failures by status</h3>\n");
        var failures = ReportRows.Failures(scenario);
        if (failures.Count == 0)
        {
            html.Append("<p class=\"no-failures\">No failures.</p>\n");
            return;
        }
        var table = new HtmlTable(["Failures of", "Status", "Count", "% of step", "Sample message"], "figures failures", textColumns: [1, 4]);
        foreach (var failure in failures)
            table.AddCells(null,
            [
                new HtmlCell(failure.Step), new HtmlCell(failure.Status.StatusCode), new HtmlCell(Count(failure.Status.Count), "bad"),
                new HtmlCell(Percent(failure.Percent)), new HtmlCell(failure.Status.SampleMessage ?? ""),
            ]);
        html.Append(table.ToHtml());
        // The chart shows whole-iteration statuses; a suite that reports failures only per step gets those instead.
        var charted = failures.Where(f => f.Step == ReportRows.AllIterationsLabel).ToList();
        if (charted.Count == 0) charted = failures.ToList();
        html.Append("<div class=\"grid\">\n");
        html.Append(HtmlCharts.BarChart($"{scenario.Name}: failures by status", "Status", "Failed iterations (count)",
            [new BarSeries("failures", charted.Select(f => f.Step == ReportRows.AllIterationsLabel ? f.Status.StatusCode : $"{f.Step}: {f.Status.StatusCode}").ToList(),
                charted.Select(f => (double)f.Status.Count).ToList())]));
        // Failures per second on an axis of their own: next to the throughput line they would hug zero.
        html.Append(HtmlCharts.LineChart($"{scenario.Name}: failures over time", ScenarioCharts.TimeAxis, "Failed iterations per second (1/s)",
            [new ChartSeries("failed/s", scenario.TimeSeries.Select(p => p.Second).ToList(), scenario.TimeSeries.Select(p => (double)p.Fail).ToList())]));
        html.Append("</div>\n");
    }
}
