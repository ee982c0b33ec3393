using ChatLoad.LoadEngine.Results;
using Spectre.Console;

namespace ChatLoad.LoadEngine.LiveConsole;

/// <summary>The final summary on the console: per scenario and step, thresholds, generator warnings.</summary>
internal static class SummaryTable
{
    public static void Write(IAnsiConsole console, RunResult result, bool interactive)
    {
        var border = interactive ? TableBorder.Rounded : TableBorder.Ascii;
        var table = new Table().Border(border).Title($"{Markup.Escape(result.Info.TestName)} — {result.Info.Duration.TotalSeconds:0.#} s")
            .AddColumns("Scenario / step", "Count", "OK", "Fail", "Fail %", "RPS", "p50", "p99", "p99.9", "Max", "Late", "Dropped");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var scenario in result.Scenarios)
        {
            AddRow(table, $"[bold]{Markup.Escape(scenario.Name)}[/]", scenario.Iterations, scenario.LateIterations.ToString("N0"), scenario.DroppedIterations.ToString("N0"));
            foreach (var step in scenario.Steps) AddRow(table, $"  step {Markup.Escape(step.Name)}", step, "", "");
            foreach (var histogram in scenario.Histograms)
                table.AddRow(new Markup($"  hist {Markup.Escape(histogram.Name)}"), new Text(histogram.Count.ToString("N0")), new Text(""), new Text(""), new Text(""), new Text(""),
                    new Text(ProgressText.Ms(histogram.P50Ms)), new Text(ProgressText.Ms(histogram.P99Ms)), new Text(ProgressText.Ms(histogram.P999Ms)), new Text(ProgressText.Ms(histogram.MaxMs)), new Text(""), new Text(""));
        }
        console.Write(table);

        foreach (var scenario in result.Scenarios)
        {
            if (scenario.Counters.Count > 0)
                console.WriteLine($"{scenario.Name} counters: " + string.Join(", ", scenario.Counters.Select(c => $"{c.Name}={c.Value:N0}{(c.Unit.Length > 0 ? " " + c.Unit : "")}")));
            if (scenario.Gauges.Count > 0)
                console.WriteLine($"{scenario.Name} gauges (last/max): " + string.Join(", ", scenario.Gauges.Select(g => $"{g.Name}={g.Last:0.##}/{g.Max:0.##}")));
            foreach (var error in scenario.Iterations.Statuses.Where(s => s.IsError))
                console.WriteLine($"{scenario.Name} failures: {error.StatusCode} × {error.Count:N0}{(error.SampleMessage is null ? "" : $" (e.g. {error.SampleMessage})")}");
            foreach (var note in scenario.Notes) console.WriteLine($"{scenario.Name}: {note}");
        }

        foreach (var threshold in result.Thresholds)
            console.MarkupLine($"{(threshold.Passed ? "[green]PASS[/]" : "[red]FAIL[/]")} {Markup.Escape(threshold.Scenario)}: {Markup.Escape(threshold.Expression)} — {Markup.Escape(threshold.Message)}");
        var g = result.Generator;
        console.WriteLine($"generator: CPU mean {g.CpuPercentMean:0}% max {g.CpuPercentMax:0}% of {result.Info.ProcessorCount} cores, timer lag p99 {g.SchedulerLagP99Ms:0.#} ms, max thread-pool queue {g.ThreadPoolQueueMax:N0}");
        foreach (var warning in g.Warnings) console.MarkupLine($"[yellow]generator warning:[/] {Markup.Escape(warning)}");
    }

    private static void AddRow(Table table, string label, StepStats stats, string late, string dropped) =>
        table.AddRow(new Markup(label), new Text(stats.Count.ToString("N0")), new Text(stats.OkCount.ToString("N0")),
            new Markup(stats.FailCount > 0 ? $"[red]{stats.FailCount:N0}[/]" : "0"), new Text($"{stats.FailPercent:0.##}"),
            new Text($"{stats.Rps:N1}"), new Text(ProgressText.Ms(stats.Latency.P50Ms)), new Text(ProgressText.Ms(stats.Latency.P99Ms)),
            new Text(ProgressText.Ms(stats.Latency.P999Ms)), new Text(ProgressText.Ms(stats.Latency.MaxMs)), new Text(late), new Text(dropped));
}
