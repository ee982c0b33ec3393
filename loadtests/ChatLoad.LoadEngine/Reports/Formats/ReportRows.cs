using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>
/// The rows and columns every format shows for a scenario, in one place so that HTML, Markdown, text and CSV agree on
/// order and labels.
/// </summary>
internal static class ReportRows
{
    /// <summary>Label of the whole-iteration row (NBomber's "global information"), shown before the named steps.</summary>
    public const string AllIterationsLabel = "(all iterations)";

    /// <summary>Column labels of the latency percentile table, all in milliseconds.</summary>
    public static readonly IReadOnlyList<string> LatencyColumns =
        ["min", "mean", "max", "stddev", "p50", "p75", "p95", "p99", "p99.9"];

    /// <summary>The whole-iteration row first, then each named step in first-seen order.</summary>
    public static IReadOnlyList<(string Label, StepStats Stats)> StatsRows(ScenarioResult scenario)
    {
        var rows = new List<(string, StepStats)>(scenario.Steps.Count + 1) { (AllIterationsLabel, scenario.Iterations) };
        rows.AddRange(scenario.Steps.Select(step => (step.Name, step)));
        return rows;
    }

    /// <summary>Latency figures in the order of <see cref="LatencyColumns"/>.</summary>
    public static IReadOnlyList<double> LatencyValues(LatencyResult latency) =>
    [
        latency.MinMs, latency.MeanMs, latency.MaxMs, latency.StdDevMs,
        latency.P50Ms, latency.P75Ms, latency.P95Ms, latency.P99Ms, latency.P999Ms,
    ];

    /// <summary>Error statuses of the whole iterations and then of each step (largest first within each), with the
    /// row's total count so a share can be shown.</summary>
    public static IReadOnlyList<FailureRow> Failures(ScenarioResult scenario) =>
        StatsRows(scenario).SelectMany(row => row.Stats.Statuses.Where(s => s.IsError && s.Count > 0)
            .OrderByDescending(s => s.Count).Select(s => new FailureRow(row.Label, s, row.Stats.Count))).ToList();

    /// <summary>Every attention point of a run in plain words: generator saturation, failed thresholds, late and
    /// dropped iterations. Empty when the run is clean.</summary>
    public static IReadOnlyList<string> Warnings(RunResult result)
    {
        var warnings = new List<string>();
        warnings.AddRange(result.Generator.Warnings.Select(w => "Load generator: " + w));
        // The engine's own generator warnings already speak of schedule lateness; say it here only when they are silent.
        foreach (var scenario in result.Generator.Warnings.Count > 0 ? Array.Empty<ScenarioResult>() : result.Scenarios)
        {
            if (scenario.LateIterations > 0 || scenario.DroppedIterations > 0)
                warnings.Add($"Scenario '{scenario.Name}': {ReportNumbers.Count(scenario.LateIterations)} iterations started late and "
                    + $"{ReportNumbers.Count(scenario.DroppedIterations)} were dropped because the generator could not keep the schedule.");
        }
        var failed = result.Thresholds.Count(t => !t.Passed);
        if (failed > 0)
            warnings.Add($"{failed} of {result.Thresholds.Count} thresholds failed.");
        return warnings;
    }
}

/// <summary>One error status of a stats row (whole iterations or one step) and that row's total count.</summary>
internal sealed record FailureRow(string Step, StatusCount Status, long StepCount)
{
    public double Percent => StepCount == 0 ? 0 : 100.0 * Status.Count / StepCount;
}
