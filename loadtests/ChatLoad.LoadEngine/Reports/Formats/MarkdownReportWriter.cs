using System.Text;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary><c>report.md</c>: the report's figures as GitHub-readable tables (no charts).</summary>
internal sealed class MarkdownReportWriter : IReportFormatWriter
{
    public const string FileName = "report.md";

    public IReadOnlyList<string> FileNames => [FileName];

    public IReadOnlyList<ReportFile> Render(RunResult result, ReportOptions options)
    {
        var md = new StringBuilder();
        var info = result.Info;
        md.AppendLine($"# ChatLoad report: {E(options.Title ?? info.TestName)}").AppendLine();

        var warnings = ReportRows.Warnings(result);
        if (warnings.Count > 0)
        {
            md.AppendLine("> [!WARNING]");
            foreach (var warning in warnings) md.AppendLine($"> - {E(warning)}");
            md.AppendLine();
        }

        md.AppendLine("## At a glance").AppendLine();
        var glance = new MarkdownTable(["Scenario", "Iterations", "Failed %", "RPS", "Latency", "p50 (ms)", "p99 (ms)", "max (ms)", "Late", "Dropped"], 4);
        foreach (var scenario in result.Scenarios)
        {
            var all = scenario.Iterations;
            var headline = scenario.Headline;
            glance.Add(scenario.Name, Count(all.Count), Percent(all.FailPercent), Rate(all.Rps), scenario.HeadlineName, Ms(headline.P50Ms),
                Ms(headline.P99Ms), Ms(headline.MaxMs), Count(scenario.LateIterations), Count(scenario.DroppedIterations));
        }
        glance.WriteTo(md);

        md.AppendLine("## Test").AppendLine();
        var test = new MarkdownTable(["Field", "Value"], 1);
        test.Add("Session", info.SessionId).Add("Started", Timestamp(info.Started)).Add("Duration", Duration(info.Duration))
            .Add("Machine", info.Machine).Add("OS", info.OperatingSystem).Add(".NET", info.Runtime)
            .Add("Cores", info.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("Shards", result.ShardCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (info.Command.Length > 0) test.Add("Command", info.Command);
        foreach (var (key, value) in info.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) test.Add(key, value);
        test.WriteTo(md);

        WriteCluster(md, result);
        WriteThresholds(md, result);
        foreach (var scenario in result.Scenarios) WriteScenario(md, scenario);
        WriteGenerator(md, result.Generator);
        if (result.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var note in result.Notes) md.AppendLine($"- {E(note)}");
            md.AppendLine();
        }
        return [new ReportFile(FileName, md.ToString())];
    }

    private static string E(string text) => MarkdownTable.Escape(text);

    private static void WriteCluster(StringBuilder md, RunResult result)
    {
        if (result.Cluster is not { } cluster) return;
        md.AppendLine("## Cluster").AppendLine().AppendLine(E(ClusterRows.Caption(cluster))).AppendLine();
        var agents = new MarkdownTable(ClusterRows.AgentColumns, 0, 1, 2, 4, 5, 6, 11, 12);
        foreach (var row in ClusterRows.Agents(cluster)) agents.Add(row);
        agents.WriteTo(md);
        foreach (var refusal in cluster.Refused) md.AppendLine($"- refused: {E(refusal)}");
        foreach (var (scenario, columns, rows) in ClusterRows.Counters(result))
        {
            md.AppendLine($"### {E(scenario)}: each agent's counters and the merge").AppendLine();
            var table = new MarkdownTable(columns, 0);
            foreach (var row in rows) table.Add(row);
            table.WriteTo(md);
        }
    }

    private static void WriteThresholds(StringBuilder md, RunResult result)
    {
        md.AppendLine("## Thresholds").AppendLine();
        if (result.Thresholds.Count == 0)
        {
            md.AppendLine("No thresholds were set.").AppendLine();
            return;
        }
        md.AppendLine($"{result.Thresholds.Count(t => t.Passed)} of {result.Thresholds.Count} passed.").AppendLine();
        var table = new MarkdownTable(["Result", "Scenario", "Threshold", "Actual", "Message"], 1, 2, 4);
        foreach (var threshold in result.Thresholds)
            table.Add(threshold.Passed ? "✅ PASS" : "❌ FAIL", threshold.Scenario, threshold.Expression,
                threshold.ActualValue is { } actual ? Value(actual) : "n/a", threshold.Message);
        table.WriteTo(md);
    }

    private static void WriteScenario(StringBuilder md, ScenarioResult scenario)
    {
        md.AppendLine($"## Scenario: {E(scenario.Name)}").AppendLine();
        md.AppendLine($"Measured for {Duration(scenario.Duration)}. Late iterations: {Count(scenario.LateIterations)}, "
            + $"dropped iterations: {Count(scenario.DroppedIterations)}.").AppendLine();
        foreach (var simulation in scenario.LoadSimulations) md.AppendLine($"- Load: {E(simulation)}");
        if (scenario.LoadSimulations.Count > 0) md.AppendLine();

        var requests = new MarkdownTable(["Step", "OK", "Fail", "Fail %", "RPS", "Bytes in", "Bytes out"]);
        var latency = new MarkdownTable(["Latency (ms)", .. ReportRows.LatencyColumns]);
        foreach (var (label, stats) in ReportRows.StatsRows(scenario))
        {
            requests.Add(label, Count(stats.OkCount), Count(stats.FailCount), Percent(stats.FailPercent), Rate(stats.Rps),
                BytesIfMeasured(stats.BytesIn), BytesIfMeasured(stats.BytesOut));
            latency.Add([label, .. ReportRows.LatencyValues(stats.Latency).Select(Ms)]);
        }
        md.AppendLine("### Requests").AppendLine();
        requests.WriteTo(md);
        md.AppendLine("### Latency").AppendLine();
        latency.WriteTo(md);

        if (scenario.Histograms.Count > 0)
        {
            md.AppendLine("### Custom histograms").AppendLine();
            var histograms = new MarkdownTable(["Histogram (ms)", "count", .. ReportRows.LatencyColumns]);
            foreach (var histogram in scenario.Histograms)
                histograms.Add([histogram.Name, Count(histogram.Count), .. ReportRows.LatencyValues(histogram).Select(Ms)]);
            histograms.WriteTo(md);
        }

        var failures = ReportRows.Failures(scenario);
        md.AppendLine("### Failures by status").AppendLine();
        if (failures.Count == 0) md.AppendLine("No failures.").AppendLine();
        else
        {
            var table = new MarkdownTable(["Failures of", "Status", "Count", "% of step", "Sample message"], 1, 4);
            foreach (var failure in failures)
                table.Add(failure.Step, failure.Status.StatusCode, Count(failure.Status.Count), Percent(failure.Percent), failure.Status.SampleMessage ?? "");
            table.WriteTo(md);
        }

        if (scenario.Counters.Count > 0)
        {
            md.AppendLine("### Counters").AppendLine();
            var table = new MarkdownTable(["Counter", "Value", "Unit"], 2);
            foreach (var counter in scenario.Counters) table.Add(counter.Name, Count(counter.Value), counter.Unit);
            table.WriteTo(md);
        }
        if (scenario.Gauges.Count > 0)
        {
            md.AppendLine("### Gauges").AppendLine();
            var table = new MarkdownTable(["Gauge", "Min", "Mean", "Max", "Last"]);
            foreach (var gauge in scenario.Gauges)
                table.Add(gauge.Name, WithUnit(gauge.Min, gauge.Unit), WithUnit(gauge.Mean, gauge.Unit),
                    WithUnit(gauge.Max, gauge.Unit), WithUnit(gauge.Last, gauge.Unit));
            table.WriteTo(md);
        }
        foreach (var note in scenario.Notes) md.AppendLine($"- Note: {E(note)}");
        if (scenario.Notes.Count > 0) md.AppendLine();
    }

    private static void WriteGenerator(StringBuilder md, GeneratorHealth generator)
    {
        md.AppendLine("## Load generator").AppendLine();
        md.AppendLine(generator.Saturated
            ? "**The generator was saturated: results may understate what the target can do.**"
            : "The generator kept up.").AppendLine();
        var table = new MarkdownTable(["CPU mean", "CPU max", "Scheduler lag p99 (ms)", "Scheduler lag max (ms)",
            "Thread-pool queue max", "Thread-pool threads max"]);
        table.Add(Percent(generator.CpuPercentMean), Percent(generator.CpuPercentMax), Ms(generator.SchedulerLagP99Ms),
            Ms(generator.SchedulerLagMaxMs), Count(generator.ThreadPoolQueueMax), Count(generator.ThreadPoolThreadsMax));
        table.WriteTo(md);
    }
}
