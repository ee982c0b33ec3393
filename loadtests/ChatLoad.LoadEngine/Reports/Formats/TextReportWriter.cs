using System.Text;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary><c>report.txt</c>: a console-style summary; warnings come first so nobody reads figures without them.</summary>
internal sealed class TextReportWriter : IReportFormatWriter
{
    public const string FileName = "report.txt";

    public IReadOnlyList<string> FileNames => [FileName];

    public IReadOnlyList<ReportFile> Render(RunResult result, ReportOptions options)
    {
        var text = new StringBuilder();
        var info = result.Info;
        var title = options.Title ?? info.TestName;
        text.AppendLine($"ChatLoad report: {title}");
        text.AppendLine(new string('=', Math.Min(100, 17 + title.Length)));
        text.AppendLine($"session {info.SessionId}, started {Timestamp(info.Started)}, duration {Duration(info.Duration)}, shards {result.ShardCount}");
        text.AppendLine($"machine {info.Machine}, {info.OperatingSystem}, {info.Runtime}, {info.ProcessorCount} cores");
        if (info.Command.Length > 0) text.AppendLine($"command: {info.Command}");
        foreach (var (key, value) in info.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.AppendLine($"{key}: {value}");
        text.AppendLine();

        var warnings = ReportRows.Warnings(result);
        text.AppendLine(warnings.Count == 0 ? "No warnings: the generator kept up and every threshold passed." : "WARNINGS");
        foreach (var warning in warnings) text.AppendLine($"  !! {warning}");
        text.AppendLine();

        WriteCluster(text, result);
        foreach (var scenario in result.Scenarios) WriteScenario(text, scenario);
        WriteThresholds(text, result);
        WriteGenerator(text, result.Generator);
        if (result.Notes.Count > 0)
        {
            text.AppendLine("notes:");
            foreach (var note in result.Notes) text.AppendLine($"  - {note}");
        }
        return [new ReportFile(FileName, text.ToString())];
    }

    private static void WriteCluster(StringBuilder text, RunResult result)
    {
        if (result.Cluster is not { } cluster) return;
        text.AppendLine("cluster: " + ClusterRows.Caption(cluster));
        var agents = new TextTable(ClusterRows.AgentColumns, 0, 1, 2, 4, 5, 6, 11, 12);
        foreach (var row in ClusterRows.Agents(cluster)) agents.Add(row);
        agents.WriteTo(text);
        foreach (var refusal in cluster.Refused) text.AppendLine($"  refused: {refusal}");
        foreach (var (scenario, columns, rows) in ClusterRows.Counters(result))
        {
            text.AppendLine($"  {scenario}: each agent's counters and the merge");
            var table = new TextTable(columns, 0);
            foreach (var row in rows) table.Add(row);
            table.WriteTo(text, "    ");
        }
        text.AppendLine();
    }

    private static void WriteScenario(StringBuilder text, ScenarioResult scenario)
    {
        text.AppendLine($"scenario '{scenario.Name}', measured {Duration(scenario.Duration)}");
        foreach (var simulation in scenario.LoadSimulations) text.AppendLine($"  load: {simulation}");
        text.AppendLine($"  late iterations {Count(scenario.LateIterations)}, dropped iterations {Count(scenario.DroppedIterations)}");
        text.AppendLine();

        var requests = new TextTable(["step", "ok", "fail", "fail %", "RPS", "bytes in", "bytes out"]);
        var latency = new TextTable(["latency (ms)", .. ReportRows.LatencyColumns]);
        foreach (var (label, stats) in ReportRows.StatsRows(scenario))
        {
            requests.Add(label, Count(stats.OkCount), Count(stats.FailCount), Percent(stats.FailPercent), Rate(stats.Rps),
                BytesIfMeasured(stats.BytesIn), BytesIfMeasured(stats.BytesOut));
            latency.Add([label, .. ReportRows.LatencyValues(stats.Latency).Select(Ms)]);
        }
        foreach (var histogram in scenario.Histograms)
            latency.Add([histogram.Name, .. ReportRows.LatencyValues(histogram).Select(Ms)]);
        requests.WriteTo(text);
        text.AppendLine();
        latency.WriteTo(text);
        text.AppendLine();

        var failures = ReportRows.Failures(scenario);
        if (failures.Count > 0)
        {
            var table = new TextTable(["failures of", "status", "count", "% of step", "sample message"], 1, 4);
            foreach (var failure in failures)
                table.Add(failure.Step, failure.Status.StatusCode, Count(failure.Status.Count), Percent(failure.Percent), failure.Status.SampleMessage ?? "");
            table.WriteTo(text);
            text.AppendLine();
        }
        if (scenario.Counters.Count > 0)
        {
            var table = new TextTable(["counter", "value", "unit"], 2);
            foreach (var counter in scenario.Counters) table.Add(counter.Name, Count(counter.Value), counter.Unit);
            table.WriteTo(text);
            text.AppendLine();
        }
        if (scenario.Gauges.Count > 0)
        {
            var table = new TextTable(["gauge", "min", "mean", "max", "last"]);
            foreach (var gauge in scenario.Gauges)
                table.Add(gauge.Name, WithUnit(gauge.Min, gauge.Unit), WithUnit(gauge.Mean, gauge.Unit),
                    WithUnit(gauge.Max, gauge.Unit), WithUnit(gauge.Last, gauge.Unit));
            table.WriteTo(text);
            text.AppendLine();
        }
        foreach (var note in scenario.Notes) text.AppendLine($"  note: {note}");
        if (scenario.Notes.Count > 0) text.AppendLine();
    }

    private static void WriteThresholds(StringBuilder text, RunResult result)
    {
        if (result.Thresholds.Count == 0)
        {
            text.AppendLine("thresholds: none set");
            text.AppendLine();
            return;
        }
        var passed = result.Thresholds.Count(t => t.Passed);
        text.AppendLine($"thresholds: {passed} of {result.Thresholds.Count} passed");
        var table = new TextTable(["result", "scenario", "threshold", "actual", "message"], 1, 2, 4);
        foreach (var threshold in result.Thresholds)
            table.Add(threshold.Passed ? "PASS" : "FAIL", threshold.Scenario, threshold.Expression,
                threshold.ActualValue is { } actual ? Value(actual) : "n/a", threshold.Message);
        table.WriteTo(text);
        text.AppendLine();
    }

    private static void WriteGenerator(StringBuilder text, GeneratorHealth generator)
    {
        text.AppendLine(generator.Saturated ? "load generator: SATURATED (see warnings)" : "load generator: kept up");
        text.AppendLine($"  CPU mean {Percent(generator.CpuPercentMean)}, max {Percent(generator.CpuPercentMax)}; "
            + $"scheduler lag p99 {Ms(generator.SchedulerLagP99Ms)} ms, max {Ms(generator.SchedulerLagMaxMs)} ms; "
            + $"thread-pool queue max {Count(generator.ThreadPoolQueueMax)}, threads max {generator.ThreadPoolThreadsMax}");
        text.AppendLine();
    }
}
