using ChatLoad.LoadEngine.Reports.Html;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A scenario's charts: one per figure, every mode a line over client count (medians of the repeats), drawn with
/// the engine's chart API so they look like every other ChatLoad report.
/// </summary>
internal static class ComparisonCharts
{
    /// <summary>The figures charted per scenario, in page order. Failed-iteration % is left to the table: it is zero
    /// wherever a rung did not fail, and the failures are spelt out beside the charts.</summary>
    public static readonly IReadOnlyList<Figure> Charted =
        [Figure.Throughput, Figure.P99, Figure.P50, Figure.Loss, Figure.Threads, Figure.Rss, Figure.RssPerClient, Figure.Cpu, Figure.CpuPerDelivery];

    /// <summary>With a single client count a line has one point: bars say the same more plainly, for the figures
    /// that tell the modes apart most.</summary>
    private static readonly IReadOnlyList<Figure> ChartedForOneRung = [Figure.Throughput, Figure.P99, Figure.Threads, Figure.Rss];

    public static string For(ScenarioTable table)
    {
        // A log axis only pays off across two decades (100 … 19,000); below that its minor labels clutter.
        bool logX = table.Clients.Count > 1 && table.Clients[^1] >= 100 * Math.Max(1, table.Clients[0]);
        bool oneRung = table.Clients.Count == 1;
        var html = new System.Text.StringBuilder("<div class=\"grid\">\n");
        foreach (var figure in oneRung ? ChartedForOneRung : Charted)
        {
            string unit = figure == Figure.Throughput ? ThroughputUnit(table) : figure.Unit;
            string title = $"{table.Scenario}: {figure.Title}";
            if (oneRung)
            {
                var bars = table.Servers
                    .Select(mode => (mode, value: table.Point(mode, table.Clients[0])?.Median(figure)))
                    .Where(b => b.value.HasValue)
                    .Select(b => new BarSeries(ReferenceServers.Label(b.mode), [$"{table.Clients[0]:N0} clients"], [b.value!.Value]))
                    .ToArray();
                if (bars.Length > 0) html.Append(HtmlCharts.BarChart(title, "Clients", figure.AxisTitle(unit), bars));
                continue;
            }
            var series = table.Servers
                .Select(mode => Line(table, mode, figure))
                .Where(s => s.X.Count > 0)
                .ToArray();
            // A figure no run produced (e.g. loss in idle-hold, which sends no messages) gets no empty frame.
            if (series.Length == 0) continue;
            html.Append(HtmlCharts.LineChart(title, "Clients", figure.AxisTitle(unit), series, logX: logX,
                logY: figure == Figure.P99 || figure == Figure.P50 ? SpansDecades(series) : false));
        }
        return html.Append("</div>\n").ToString();
    }

    private static ChartSeries Line(ScenarioTable table, string mode, Figure figure)
    {
        var points = table.ForServer(mode)
            .Select(p => (p.Clients, Value: p.Median(figure)))
            .Where(p => p.Value.HasValue)
            .ToArray();
        return new ChartSeries(ReferenceServers.Label(mode), points.Select(p => (double)p.Clients).ToArray(), points.Select(p => p.Value!.Value).ToArray());
    }

    /// <summary>Latency lines spanning more than two decades read better on a log axis (1 ms next to 2 s).</summary>
    private static bool SpansDecades(IEnumerable<ChartSeries> series)
    {
        var values = series.SelectMany(s => s.Y).Where(v => v > 0).ToArray();
        return values.Length > 1 && values.Max() / values.Min() > 100;
    }

    /// <summary>The report's central chart: each server's highest sustainable deliveries/s against client count, and
    /// the p99 it held there. Points the search could only bound from below (generator limit, cap) are still drawn:
    /// the table beside marks them.</summary>
    public static string Saturation(SaturationTable table)
    {
        var html = new System.Text.StringBuilder("<div class=\"grid\">\n");
        string slo = PointComparison.Ms(table.Points.First().Spec.SloP99Ms);
        if (table.Clients.Count == 1)
        {
            var bars = table.Servers.Select(s => (s, v: table.Point(s, table.Clients[0])?.OfferedDeliveries)).Where(b => b.v.HasValue)
                .Select(b => new BarSeries(b.s, [$"{table.Clients[0]:N0} clients"], [b.v!.Value])).ToArray();
            if (bars.Length > 0) html.Append(HtmlCharts.BarChart($"{table.Scenario}: max sustainable deliveries/s at p99 ≤ {slo}", "Clients", "Deliveries/s", bars));
        }
        else
        {
            var rate = table.Servers.Select(s => Series(table, s, p => p.OfferedDeliveries)).Where(x => x.X.Count > 0).ToArray();
            if (rate.Length > 0)
                html.Append(HtmlCharts.LineChart($"{table.Scenario}: max sustainable deliveries/s at p99 ≤ {slo}", "Clients", "Deliveries/s", rate, logX: true));
            var p99 = table.Servers.Select(s => Series(table, s, p => p.Summary.Median(Figure.P99))).Where(x => x.X.Count > 0).ToArray();
            if (p99.Length > 0)
                html.Append(HtmlCharts.LineChart($"{table.Scenario}: p99 at the sustained rate", "Clients", "p99 latency (ms)", p99, logX: true));
        }
        return html.Append("</div>\n").ToString();
    }

    private static ChartSeries Series(SaturationTable table, string server, Func<SaturationPoint, double?> read)
    {
        var points = table.Clients.Select(c => (c, v: table.Point(server, c) is { } p ? read(p) : null)).Where(x => x.v.HasValue).ToArray();
        return new ChartSeries(server, points.Select(x => (double)x.c).ToArray(), points.Select(x => x.v!.Value).ToArray());
    }

    public static string ThroughputUnit(ScenarioTable table) =>
        table.Points.Select(p => p.ThroughputUnit).FirstOrDefault() ?? "iterations/s";
}
