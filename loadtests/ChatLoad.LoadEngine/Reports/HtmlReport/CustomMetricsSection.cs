using System.Text;
using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>
/// A scenario's own metrics: counters and gauges (each a table plus charts over time, one chart per unit so threads
/// and bytes never share an axis) and custom latency histograms (percentile table plus distribution chart).
/// </summary>
internal static class CustomMetricsSection
{
    public static void Render(StringBuilder html, ScenarioResult scenario)
    {
        RenderCounters(html, scenario);
        RenderGauges(html, scenario);
        RenderHistograms(html, scenario);
        RenderOtherSeries(html, scenario);
    }

    /// <summary>Per-second metrics that are neither a counter nor a gauge of the scenario (e.g. the engine's own
    /// cumulative late/dropped counts) get one chart, so nothing recorded is left out of the report.</summary>
    private static void RenderOtherSeries(StringBuilder html, ScenarioResult scenario)
    {
        var known = scenario.Counters.Select(c => c.Name).Concat(scenario.Gauges.Select(g => g.Name)).ToHashSet(StringComparer.Ordinal);
        var others = scenario.TimeSeries.SelectMany(p => p.Metrics.Keys).Where(k => !known.Contains(k))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (others.Count == 0) return;
        // The engine records its schedule counters this way; name them plainly when they are all there is.
        var scheduleOnly = others.All(EngineScheduleSeries.Contains);
        html.Append(scheduleOnly ? "<h3>Late and dropped iterations over time</h3>\n" : "<h3>Other recorded metrics</h3>\n");
        html.Append(HtmlCharts.LineChart(
            scheduleOnly ? $"{scenario.Name}: late and dropped iterations (cumulative)" : $"{scenario.Name}: other recorded metrics",
            ScenarioCharts.TimeAxis, scheduleOnly ? "Iterations (cumulative count)" : "Value (as recorded)",
            others.Select(name => new ChartSeries(scheduleOnly ? ScheduleSeriesLabel(name) : name, scenario.TimeSeries.Select(p => p.Second).ToList(),
                scenario.TimeSeries.Select(p => Sample(p, name)).ToList()))));
    }

    private static void RenderCounters(StringBuilder html, ScenarioResult scenario)
    {
        if (scenario.Counters.Count == 0) return;
        html.Append("<h3>Custom counters</h3>\n");
        var table = new HtmlTable(["Counter", "Value", "Unit"], "figures counters", textColumns: [2]);
        foreach (var counter in scenario.Counters)
            table.AddCells(null, [new HtmlCell(counter.Name), new HtmlCell(Count(counter.Value)), new HtmlCell(counter.Unit)]);
        html.Append(table.ToHtml());
        RenderOverTime(html, scenario, scenario.Counters.Select(c => (c.Name, c.Unit)).ToList(), "counters (cumulative)");
    }

    private static void RenderGauges(StringBuilder html, ScenarioResult scenario)
    {
        if (scenario.Gauges.Count == 0) return;
        html.Append("<h3>Gauges</h3>\n");
        var table = new HtmlTable(["Gauge", "Min", "Mean", "Max", "Last"], "figures gauges");
        foreach (var gauge in scenario.Gauges)
            table.Add(gauge.Name, WithUnit(gauge.Min, gauge.Unit), WithUnit(gauge.Mean, gauge.Unit),
                WithUnit(gauge.Max, gauge.Unit), WithUnit(gauge.Last, gauge.Unit));
        html.Append(table.ToHtml());
        RenderOverTime(html, scenario, scenario.Gauges.Select(g => (g.Name, g.Unit)).ToList(), "gauges");
    }

    private static void RenderOverTime(StringBuilder html, ScenarioResult scenario, IReadOnlyList<(string Name, string Unit)> metrics, string kind)
    {
        var withData = metrics.Where(m => scenario.TimeSeries.Any(p => p.Metrics.ContainsKey(m.Name))).ToList();
        if (withData.Count == 0)
        {
            html.Append($"<p class=\"muted\">No per-second samples of these {HtmlText.Encode(kind)} were recorded.</p>\n");
            return;
        }
        html.Append("<div class=\"grid\">\n");
        foreach (var byUnit in withData.GroupBy(m => UnitKey(m.Unit)))
        {
            var max = byUnit.SelectMany(m => scenario.TimeSeries.Select(p => Sample(p, m.Name))).Where(double.IsFinite).DefaultIfEmpty(0).Max();
            var scale = UnitScale.ForUnit(byUnit.First().Unit, max);
            var names = byUnit.Select(m => m.Name).ToList();
            var title = names.Count <= 3 ? $"{scenario.Name}: {string.Join(", ", names)}" : $"{scenario.Name}: {kind} in {scale.Label}";
            html.Append(HtmlCharts.LineChart(title, ScenarioCharts.TimeAxis, $"Value ({scale.Label})",
                byUnit.Select(m => new ChartSeries(m.Name,
                    scenario.TimeSeries.Select(p => p.Second).ToList(),
                    scenario.TimeSeries.Select(p => scale.Apply(Sample(p, m.Name))).ToList()))));
        }
        html.Append("</div>\n");
    }

    /// <summary>Time-series names under which the engine records cumulative late and dropped iterations.</summary>
    private static readonly HashSet<string> EngineScheduleSeries = new(StringComparer.Ordinal) { "engine.late", "engine.dropped" };

    private static string ScheduleSeriesLabel(string name) => name == "engine.late" ? "started late" : "dropped";

    private static string UnitKey(string unit) => ReportNumbers.IsBytesUnit(unit) ? "bytes" : unit.Trim().ToLowerInvariant();

    private static double Sample(TimeSeriesPoint point, string name) =>
        point.Metrics.TryGetValue(name, out var value) ? value : double.NaN;

    private static void RenderHistograms(StringBuilder html, ScenarioResult scenario)
    {
        if (scenario.Histograms.Count == 0) return;
        html.Append("<h3>Custom histograms (ms)</h3>\n");
        var table = new HtmlTable(["Histogram", "Count", .. ReportRows.LatencyColumns], "figures histograms");
        foreach (var histogram in scenario.Histograms)
            table.Add([histogram.Name, Count(histogram.Count), .. ReportRows.LatencyValues(histogram).Select(Ms)]);
        html.Append(table.ToHtml());
        html.Append(HtmlCharts.PercentileChart($"{scenario.Name}: custom histogram distributions", "Latency (ms)",
            scenario.Histograms.Where(h => h.Distribution.Count > 0).Select(h => ScenarioCharts.Distribution(h.Name, h))));
    }
}
