using System.Globalization;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace ChatLoad.LoadEngine.Reports.Html;

/// <summary>
/// Charts as HTML fragments, drawn by plotly.js from Plotly.NET figures. Each method returns a
/// <c>&lt;figure class="chart"&gt;</c> holding the chart's <c>div</c> and the inline script that draws it; put
/// fragments in a page made by <see cref="HtmlPage.Render"/> (which loads plotly.js once, before any chart).
/// All text (titles, axis titles, series names, categories) is encoded, so names from results show literally.
/// With no data points at all, a figure with a "no data" note is returned instead (class <c>chart-empty</c>), so a
/// page never shows an empty frame that looks like a rendering failure.
/// </summary>
public static class HtmlCharts
{
    /// <summary>A line chart with markers, one line per series.</summary>
    /// <param name="title">Chart title, shown as the figure's caption.</param>
    /// <param name="xAxisTitle">X axis title with its unit, e.g. "Time since start (s)".</param>
    /// <param name="yAxisTitle">Y axis title with its unit, e.g. "Latency (ms)".</param>
    /// <param name="series">The lines; each series' X and Y must be the same length.</param>
    /// <param name="logX">Logarithmic X axis (e.g. client counts 100…10,000).</param>
    /// <param name="logY">Logarithmic Y axis (e.g. latencies spanning orders of magnitude).</param>
    /// <exception cref="ArgumentException">A series' X and Y differ in length.</exception>
    public static string LineChart(string title, string xAxisTitle, string yAxisTitle, IEnumerable<ChartSeries> series,
        bool logX = false, bool logY = false)
    {
        var lines = Validate(series);
        if (lines.All(s => s.X.Count == 0)) return Empty(title);
        var traces = lines.Select(s => PlotlyChart.Line<double, double, string>(s.X, s.Y.Select(Finite),
            Name: HtmlText.ForPlotly(s.Name), ShowMarkers: s.X.Count <= MaxPointsWithMarkers));
        var chart = Style(PlotlyChart.Combine(traces), xAxisTitle, yAxisTitle, logX, logY);
        return Figure(title, ChartLayout.Apply(chart, unifiedHover: !logX));
    }

    /// <summary>A grouped bar chart: one bar per category for each series.</summary>
    /// <param name="title">Chart title, shown as the figure's caption.</param>
    /// <param name="xAxisTitle">Category axis title, e.g. "Status".</param>
    /// <param name="yAxisTitle">Value axis title with its unit, e.g. "Failures (count)".</param>
    /// <param name="series">The bar groups; each series' categories and values must be the same length.</param>
    /// <param name="logY">Logarithmic value axis.</param>
    /// <exception cref="ArgumentException">A series' categories and values differ in length.</exception>
    public static string BarChart(string title, string xAxisTitle, string yAxisTitle, IEnumerable<BarSeries> series,
        bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var groups = series.ToList();
        foreach (var group in groups)
        {
            ArgumentNullException.ThrowIfNull(group);
            if (group.Categories.Count != group.Values.Count)
                throw new ArgumentException(
                    $"Bar series '{group.Name}' has {group.Categories.Count} categories but {group.Values.Count} values.", nameof(series));
        }
        if (groups.All(g => g.Values.Count == 0)) return Empty(title);
        var traces = groups.Select(g => PlotlyChart.Column<double, string, string>(g.Values.Select(Finite),
            Keys: g.Categories.Select(HtmlText.ForPlotly).ToList(), Name: HtmlText.ForPlotly(g.Name),
            ShowLegend: groups.Count > 1));
        var chart = PlotlyChart.Combine(traces);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart,
            TitleText: HtmlText.ForPlotly(xAxisTitle), AxisType: StyleParam.AxisType.Category);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart,
            TitleText: HtmlText.ForPlotly(yAxisTitle), AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        chart = ChartLayout.Apply(chart, unifiedHover: false);
        GenericChart.getLayout(chart).SetProperty("barmode", "group");
        return Figure(title, chart);
    }

    /// <summary>
    /// A latency distribution (HdrHistogram-style "percentile spectrum"): X values are percentiles 0–100, drawn on a
    /// log scale of 1/(1 − p) so the tail (99%, 99.9%, 99.99%) gets as much room as the median.
    /// </summary>
    /// <param name="title">Chart title, shown as the figure's caption.</param>
    /// <param name="yAxisTitle">Y axis title with its unit, e.g. "Latency (ms)".</param>
    /// <param name="series">One line per distribution; X are percentiles (0–100), Y the values at them.</param>
    public static string PercentileChart(string title, string yAxisTitle, IEnumerable<ChartSeries> series)
    {
        var lines = Validate(series);
        if (lines.All(s => s.X.Count == 0)) return Empty(title);
        var traces = lines.Select(s => PlotlyChart.Line<double, double, string>(
            s.X.Select(PercentileToSpectrum), s.Y.Select(Finite), Name: HtmlText.ForPlotly(s.Name),
            MultiText: s.X.Select(p => p.ToString("0.####", CultureInfo.InvariantCulture) + "%").ToList(), ShowMarkers: false));
        var chart = Style(PlotlyChart.Combine(traces), "Percentile (%)", yAxisTitle, logX: true, logY: false);
        chart = ChartLayout.Apply(chart, unifiedHover: false);
        // Hover shows the percentile (the trace text), not the spectrum position the axis is drawn in.
        foreach (var trace in GenericChart.getTraces(chart))
            trace.SetProperty("hovertemplate", "%{text}: %{y:.3f}<extra>%{fullData.name}</extra>");
        // Tick marks up to the highest percentile drawn (at least 99%), so the axis ends where the data does.
        var highest = lines.SelectMany(s => s.X).DefaultIfEmpty(0).Max();
        var ticks = new double[] { 50, 90, 99, 99.9, 99.99, 99.999, 99.9999 }.Where(t => t <= Math.Max(99, highest) + 1e-9).ToArray();
        ChartLayout.SetAxisProperty(chart, "xaxis", "tickvals", ticks.Select(PercentileToSpectrum).ToArray());
        ChartLayout.SetAxisProperty(chart, "xaxis", "ticktext",
            ticks.Select(t => t.ToString("0.####", CultureInfo.InvariantCulture) + "%").ToArray());
        return Figure(title, chart);
    }

    /// <summary>Above this many points a line is drawn without markers, which would only clutter it.</summary>
    private const int MaxPointsWithMarkers = 60;

    /// <summary>The highest percentile the spectrum axis can show; 100% itself would be at infinity.</summary>
    private const double MaxSpectrumPercentile = 99.9999;

    // 1/(1 - p/100) written as 100/(100 - p) so that 90% and 99% land exactly on 10 and 100.
    private static double PercentileToSpectrum(double percentile) =>
        100.0 / (100.0 - Math.Clamp(percentile, 0, MaxSpectrumPercentile));

    private static double Finite(double value) => double.IsFinite(value) ? value : double.NaN;

    private static List<ChartSeries> Validate(IEnumerable<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var list = series.ToList();
        foreach (var line in list)
        {
            ArgumentNullException.ThrowIfNull(line);
            if (line.X.Count != line.Y.Count)
                throw new ArgumentException($"Series '{line.Name}' has {line.X.Count} X values but {line.Y.Count} Y values.", nameof(series));
        }
        return list;
    }

    private static GenericChart Style(GenericChart chart, string xAxisTitle, string yAxisTitle, bool logX, bool logY)
    {
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart,
            TitleText: HtmlText.ForPlotly(xAxisTitle), AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        return Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart,
            TitleText: HtmlText.ForPlotly(yAxisTitle), AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
    }

    private static string Figure(string title, GenericChart chart) =>
        $"<figure class=\"chart\" data-chart-title=\"{HtmlText.Encode(title)}\"><figcaption>{HtmlText.Encode(title)}</figcaption>"
        + GenericChart.toChartHTML(chart) + "</figure>\n";

    private static string Empty(string title) =>
        $"<figure class=\"chart-empty\" data-chart-title=\"{HtmlText.Encode(title)}\"><figcaption>{HtmlText.Encode(title)}</figcaption>"
        + "<p class=\"muted\">No data points were recorded for this chart.</p></figure>\n";
}
