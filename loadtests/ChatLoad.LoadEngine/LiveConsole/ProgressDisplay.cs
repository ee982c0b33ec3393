using ChatLoad.LoadEngine.Runner;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ChatLoad.LoadEngine.LiveConsole;

/// <summary>
/// Shows the run while it goes: a Spectre.Console live table when the console is a terminal, otherwise one plain
/// line per scenario per second (CI logs and pipes, where a live table would print a full copy every refresh).
/// Generator warnings are printed once each, as they appear.
/// </summary>
internal sealed class ProgressDisplay(IAnsiConsole console, TextWriter plain, bool interactive, TimeProvider time)
{
    /// <summary>How often a plain (non-terminal) progress line is printed. Default 5 s: a CI log of a 30 s run gets a
    /// handful of lines per scenario, not a screenful a second.</summary>
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(500);
    private const int ProgressBarWidth = 12;
    private readonly HashSet<string> _warningsShown = new();

    public async Task ShowUntilDoneAsync(ILiveRun runner, Task run)
    {
        long started = time.GetTimestamp();
        if (interactive) await ShowLiveAsync(runner, run, started);
        else await ShowPlainAsync(runner, run, started);
    }

    private async Task ShowPlainAsync(ILiveRun runner, Task run, long started)
    {
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(PlainInterval, time));
            if (run.IsCompleted) break;
            foreach (var progress in runner.Progress())
                plain.WriteLine(ProgressText.Line(progress, time.GetElapsedTime(started)));
            if (runner.Agents() is { Count: > 0 } agents)
                plain.WriteLine(ProgressText.AgentsLine(agents, time.GetElapsedTime(started)));
            PrintNewWarnings(runner);
        }
    }

    private async Task ShowLiveAsync(ILiveRun runner, Task run, long started)
    {
        await console.Live(Render(runner, started)).AutoClear(false).StartAsync(async context =>
        {
            while (true)
            {
                context.UpdateTarget(Render(runner, started));
                context.Refresh();
                if (run.IsCompleted) break;
                await Task.WhenAny(run, Task.Delay(LiveRefresh, time));
            }
        });
        PrintNewWarnings(runner);
    }

    /// <summary>The table of scenarios, then one line of custom counters per scenario (a column would be too wide).</summary>
    private IRenderable Render(ILiveRun runner, long started)
    {
        var progress = runner.Progress();
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Scenario", "Stage", "Progress", "RPS", "p50", "p99", "OK", "Fail", "Late/Dropped");
        foreach (var p in progress)
        {
            var last = p.LastSecond;
            int filled = (int)Math.Round(ProgressText.Fraction(p) * ProgressBarWidth);
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(p.Name)}[/]"),
                new Text(ProgressText.Stage(p)),
                new Markup($"[green]{new string('█', filled)}[/][grey]{new string('░', ProgressBarWidth - filled)}[/] {Markup.Escape(ProgressText.Elapsed(p))}"),
                new Text(last is null ? "-" : $"{last.Rps:0.0}"),
                new Text(last is null ? "-" : ProgressText.Ms(last.P50Ms)),
                new Text(last is null ? "-" : ProgressText.Ms(last.P99Ms)),
                new Text($"{p.Ok:N0}"),
                new Markup(p.Fail > 0 ? $"[red]{p.Fail:N0}[/]" : "0"),
                new Markup(p.Late + p.Dropped > 0 ? $"[yellow]{p.Late:N0}/{p.Dropped:N0}[/]" : "0/0"));
        }
        var warnings = runner.LiveWarnings();
        table.Caption(warnings.Count == 0
            ? new TableTitle($"{time.GetElapsedTime(started).TotalSeconds:0}s elapsed · Ctrl+C stops and still writes the reports")
            : new TableTitle($"[yellow]generator warning: {Markup.Escape(warnings[^1])}[/]"));

        var lines = new List<IRenderable> { table };
        if (runner.Agents() is { Count: > 0 } agents)
        {
            var agentTable = new Table().Border(TableBorder.Rounded).AddColumns("Agent", "State", "Clients", "OK", "Fail", "Last report");
            foreach (var a in agents)
                agentTable.AddRow(new Markup($"[bold]{Markup.Escape(a.Name)}[/]"),
                    new Markup(a.State.StartsWith("lost", StringComparison.Ordinal) ? $"[red]{Markup.Escape(a.State)}[/]" : Markup.Escape(a.State)),
                    new Text($"{a.Clients:N0}"), new Text($"{a.Ok:N0}"), new Markup(a.Fail > 0 ? $"[red]{a.Fail:N0}[/]" : "0"),
                    new Text($"{a.SecondsSinceReport:0.0} s ago"));
            lines.Add(agentTable);
        }
        foreach (var p in progress)
        {
            var metrics = ProgressText.Metrics(p);
            if (metrics.Length > 0) lines.Add(new Markup($"[bold]{Markup.Escape(p.Name)}[/] {Markup.Escape(metrics)}"));
        }
        return new Rows(lines);
    }

    private void PrintNewWarnings(ILiveRun runner)
    {
        foreach (var warning in runner.LiveWarnings())
            if (_warningsShown.Add(warning))
            {
                if (interactive) console.MarkupLine($"[yellow]generator warning:[/] {Markup.Escape(warning)}");
                else plain.WriteLine($"generator warning: {warning}");
            }
    }
}
