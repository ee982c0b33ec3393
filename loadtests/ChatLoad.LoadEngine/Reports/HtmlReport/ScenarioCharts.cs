using System.Text;
using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>A scenario's standard charts: latency distribution, throughput, latency and data transfer over time.</summary>
internal static class ScenarioCharts
{
    public const string TimeAxis = "Time since measurement start (s)";

    public static void Render(StringBuilder html, ScenarioResult scenario)
    {
        var series = scenario.TimeSeries;
        var seconds = series.Select(p => p.Second).ToList();
        html.Append("<h3>Charts</h3>\n<p class=\"muted\">The distribution chart stretches the tail: 50→90%, 90→99% and "
            + "99→99.9% get equal width, so the slowest iterations are as visible as the median.</p>\n<div class=\"grid\">\n");

        var distributions = ReportRows.StatsRows(scenario)
            .Where(row => row.Stats.Latency.Distribution.Count > 0)
            .Select(row => Distribution(row.Label, row.Stats.Latency));
        html.Append(HtmlCharts.PercentileChart($"{scenario.Name}: latency distribution", "Latency (ms)", distributions));

        html.Append(HtmlCharts.LineChart($"{scenario.Name}: throughput", TimeAxis, "Iterations per second (1/s)",
        [
            new ChartSeries("all iterations/s", seconds, series.Select(p => p.Rps).ToList()),
            new ChartSeries("failed/s", seconds, series.Select(p => (double)p.Fail).ToList()),
        ]));

        html.Append(HtmlCharts.LineChart($"{scenario.Name}: latency over time", TimeAxis, "Latency (ms)",
        [
            new ChartSeries("p50", seconds, series.Select(p => p.P50Ms).ToList()),
            new ChartSeries("p99", seconds, series.Select(p => p.P99Ms).ToList()),
            new ChartSeries("max", seconds, series.Select(p => p.MaxMs).ToList()),
        ]));

        var transferScale = UnitScale.ForBytes(series.Count == 0 ? 0 : series.Max(p => Math.Max(p.BytesIn, p.BytesOut)), "/s");
        html.Append(HtmlCharts.LineChart($"{scenario.Name}: data transfer", TimeAxis, $"Data transfer ({transferScale.Label})",
        [
            new ChartSeries("received (in)", seconds, series.Select(p => transferScale.Apply(p.BytesIn)).ToList()),
            new ChartSeries("sent (out)", seconds, series.Select(p => transferScale.Apply(p.BytesOut)).ToList()),
        ]));
        html.Append("</div>\n");
    }

    /// <summary>
    /// The distribution as a chart line. The 100% point (the maximum) is drawn at the percentile of the last sample,
    /// 100 × (1 − 1/count): a percentile axis has no place for 100% itself, and with 1,000 samples nothing is known
    /// beyond 99.9%, so the line should not pretend otherwise.
    /// </summary>
    public static ChartSeries Distribution(string name, LatencyResult latency)
    {
        var lastSample = latency.Count > 1 ? 100.0 * (1.0 - 1.0 / latency.Count) : 50.0;
        // Never left of a point already drawn, so the line stays monotonic.
        var highestBelow100 = latency.Distribution.Where(p => p.Percentile < 100).Select(p => p.Percentile).DefaultIfEmpty(0).Max();
        var maxAt = Math.Max(lastSample, highestBelow100);
        return new ChartSeries(name,
            latency.Distribution.Select(p => p.Percentile >= 100 ? maxAt : p.Percentile).ToList(),
            latency.Distribution.Select(p => p.ValueMs).ToList());
    }
}
