using System.Globalization;
using System.Text;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>
/// <c>report.csv</c>: one row per scenario × (all iterations | step | custom histogram) with every figure, raw
/// (invariant culture, milliseconds and bytes unscaled) for spreadsheets and scripts; <c>report-timeseries.csv</c>:
/// one row per scenario and second, with one column per custom metric.
/// </summary>
internal sealed class CsvReportWriter : IReportFormatWriter
{
    public const string SummaryFileName = "report.csv";
    public const string TimeSeriesFileName = "report-timeseries.csv";

    /// <summary>Columns of <c>report.csv</c>, stable for scripts that read them.</summary>
    public static readonly IReadOnlyList<string> SummaryColumns =
    [
        "scenario", "kind", "name", "ok", "fail", "fail_percent", "rps", "bytes_in", "bytes_out",
        "latency_count", "min_ms", "mean_ms", "max_ms", "stddev_ms", "p50_ms", "p75_ms", "p95_ms", "p99_ms", "p99_9_ms",
        "scenario_duration_s", "late_iterations", "dropped_iterations",
    ];

    /// <summary>Fixed leading columns of <c>report-timeseries.csv</c>; metric columns follow, sorted by name.</summary>
    public static readonly IReadOnlyList<string> TimeSeriesColumns =
        ["scenario", "second", "rps", "ok", "fail", "p50_ms", "p99_ms", "max_ms", "bytes_in", "bytes_out"];

    public IReadOnlyList<string> FileNames => [SummaryFileName, TimeSeriesFileName];

    public IReadOnlyList<ReportFile> Render(RunResult result, ReportOptions options) =>
        [new ReportFile(SummaryFileName, RenderSummary(result)), new ReportFile(TimeSeriesFileName, RenderTimeSeries(result))];

    private static string RenderSummary(RunResult result)
    {
        var csv = new StringBuilder();
        WriteRow(csv, SummaryColumns);
        foreach (var scenario in result.Scenarios)
        {
            string[] scenarioTail = [N(scenario.Duration.TotalSeconds), N(scenario.LateIterations), N(scenario.DroppedIterations)];
            WriteStats(csv, scenario, "iterations", ReportRows.AllIterationsLabel, scenario.Iterations, scenarioTail);
            foreach (var step in scenario.Steps) WriteStats(csv, scenario, "step", step.Name, step, scenarioTail);
            foreach (var histogram in scenario.Histograms)
                WriteRow(csv, [scenario.Name, "histogram", histogram.Name, "", "", "", "", "", "", .. Latency(histogram), .. scenarioTail]);
        }
        return csv.ToString();
    }

    private static void WriteStats(StringBuilder csv, ScenarioResult scenario, string kind, string name, StepStats stats, string[] tail) =>
        WriteRow(csv,
        [
            scenario.Name, kind, name, N(stats.OkCount), N(stats.FailCount), N(stats.FailPercent), N(stats.Rps),
            N(stats.BytesIn), N(stats.BytesOut), .. Latency(stats.Latency), .. tail,
        ]);

    private static IEnumerable<string> Latency(LatencyResult latency) =>
        [N(latency.Count), .. ReportRows.LatencyValues(latency).Select(N)];

    private static string RenderTimeSeries(RunResult result)
    {
        var metricNames = result.Scenarios.SelectMany(s => s.TimeSeries).SelectMany(p => p.Metrics.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        WriteRow(csv, [.. TimeSeriesColumns, .. metricNames]);
        foreach (var scenario in result.Scenarios)
        foreach (var point in scenario.TimeSeries)
        {
            WriteRow(csv,
            [
                scenario.Name, N(point.Second), N(point.Rps), N(point.Ok), N(point.Fail), N(point.P50Ms), N(point.P99Ms),
                N(point.MaxMs), N(point.BytesIn), N(point.BytesOut),
                .. metricNames.Select(name => point.Metrics.TryGetValue(name, out var value) ? N(value) : ""),
            ]);
        }
        return csv.ToString();
    }

    private static string N(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";
    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteRow(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(Quote));
        csv.Append("\r\n"); // RFC 4180 line ending
    }

    /// <summary>RFC 4180 quoting; a leading formula character gets a quote prefix so a spreadsheet shows a name
    /// from the results as text instead of evaluating it.</summary>
    internal static string Quote(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '@' && !double.TryParse(cell, CultureInfo.InvariantCulture, out _))
            cell = "'" + cell;
        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
