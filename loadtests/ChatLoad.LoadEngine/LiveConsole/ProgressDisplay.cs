using ChatLoad.LoadEngine.Runner;
using Spectre.Console;

namespace ChatLoad.LoadEngine.LiveConsole;

/// <summary>
/// Shows the run while it goes: a Spectre.Console live table when the console is a terminal, otherwise one plain
/// line per scenario per second (CI logs and pipes, where a live table would print a full copy every refresh).
/// Generator warnings are printed once each, as they appear.
/// </summary>
internal sealed class ProgressDisplay(IAnsiConsole console, TextWriter plain, bool interactive, TimeProvider time)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(500);
    private readonly HashSet<string> _warningsShown = new();

    public async Task ShowUntilDoneAsync(LoadRunner runner, Task run)
    {
        long started = time.GetTimestamp();
        if (interactive) await ShowLiveAsync(runner, run, started);
        else await ShowPlainAsync(runner, run, started);
    }

    private async Task ShowPlainAsync(LoadRunner runner, Task run, long started)
    {
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(PlainInterval, time));
            if (run.IsCompleted) break;
            foreach (var progress in runner.Progress())
                plain.WriteLine(ProgressText.Line(progress, time.GetElapsedTime(started)));
            PrintNewWarnings(runner);
        }
    }

    private async Task ShowLiveAsync(LoadRunner runner, Task run, long started)
    {
        var table = NewTable();
        await console.Live(table).AutoClear(false).StartAsync(async context =>
        {
            while (true)
            {
                Fill(table, runner.Progress(), runner.LiveWarnings(), time.GetElapsedTime(started));
                context.Refresh();
                if (run.IsCompleted) break;
                await Task.WhenAny(run, Task.Delay(LiveRefresh, time));
            }
        });
        PrintNewWarnings(runner);
    }

    private void PrintNewWarnings(LoadRunner runner)
    {
        foreach (var warning in runner.LiveWarnings())
            if (_warningsShown.Add(warning))
            {
                if (interactive) console.MarkupLine($"[yellow]generator warning:[/] {Markup.Escape(warning)}");
                else plain.WriteLine($"generator warning: {warning}");
            }
    }

    private static Table NewTable() => new Table().Border(TableBorder.Rounded)
        .AddColumns("Scenario", "Stage", "Progress", "RPS", "p50", "p99", "OK", "Fail", "Late/Dropped", "Counters");

    private static void Fill(Table table, IReadOnlyList<ScenarioProgress> progress, IReadOnlyList<string> warnings, TimeSpan elapsed)
    {
        table.Rows.Clear();
        foreach (var p in progress)
        {
            var last = p.LastSecond;
            int filled = (int)Math.Round(ProgressText.Fraction(p) * 20);
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(p.Name)}[/]"),
                new Text(ProgressText.Stage(p)),
                new Markup($"[green]{new string('█', filled)}[/][grey]{new string('░', 20 - filled)}[/] {Markup.Escape(ProgressText.Elapsed(p))}"),
                new Text($"{last?.Rps ?? 0:0.0}"),
                new Text(ProgressText.Ms(last?.P50Ms ?? 0)),
                new Text(ProgressText.Ms(last?.P99Ms ?? 0)),
                new Text($"{p.Ok:N0}"),
                new Markup(p.Fail > 0 ? $"[red]{p.Fail:N0}[/]" : "0"),
                new Markup(p.Late + p.Dropped > 0 ? $"[yellow]{p.Late:N0}/{p.Dropped:N0}[/]" : "0/0"),
                new Text(ProgressText.Metrics(p)));
        }
        table.Caption(warnings.Count == 0
            ? new TableTitle($"{elapsed.TotalSeconds:0}s elapsed · Ctrl+C stops and still writes the reports")
            : new TableTitle($"[yellow]generator warning: {Markup.Escape(warnings[^1])}[/]"));
    }
}
