using System.Text;
using ChatLoad.LoadEngine.Reports.Html;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// index.html: the modes side by side. Per scenario the computed verdict, charts against client count, and a table
/// with medians, spreads, failures and links to every run's own report; then how and where it all ran.
/// </summary>
internal static class ComparisonHtmlReport
{
    public static string Render(ComparisonResults results, PlotlyScript script)
    {
        var body = new StringBuilder();
        string modes = string.Join(" vs ", results.Modes);
        body.Append($"<h1>ChatLoad comparison: {E(modes)}</h1>\n");
        body.Append($"<p class=\"subtitle\">{E(Subtitle(results))}</p>\n");
        body.Append(Banner(results));

        body.Append("<nav class=\"toc\"><strong>Scenarios:</strong> ");
        body.Append(string.Join(" · ", results.Scenarios().Select(s => $"<a href=\"#{Anchor(s)}\">{E(s)}</a>")));
        if (ReferenceServerReport.Any(results)) body.Append($" · <a href=\"#{ReferenceServerReport.Anchor}\">reference servers</a>");
        body.Append(" · <a href=\"#how-it-ran\">how it ran</a> · <a href=\"#all-runs\">all runs</a></nav>\n");

        body.Append("<section><h2>Verdicts</h2><ul class=\"verdicts\">\n");
        foreach (var scenario in results.Scenarios())
            body.Append($"<li><a href=\"#{Anchor(scenario)}\"><strong>{E(scenario)}</strong></a>: {E(ScenarioVerdict.For(results.Table(scenario), results.Modes).Text)}</li>\n");
        body.Append("</ul></section>\n");

        foreach (var scenario in results.Scenarios())
            body.Append(ScenarioSection(results, results.Table(scenario)));

        body.Append(ReferenceServerReport.SectionHtml(results));
        body.Append(HowItRan(results));
        body.Append(AllRuns(results));
        return HtmlPage.Render($"ChatLoad comparison: {modes}", body.ToString(), script);
    }

    private static string Subtitle(ComparisonResults r) =>
        $"{r.Plan.Preset.ToString().ToLowerInvariant()} preset, started {r.Started:yyyy-MM-dd HH:mm} UTC, took {PlanPrinter.Format(r.WallTime)}; " +
        $"up to {r.Plan.MaxClients:N0} concurrent clients; {r.Plan.Repeat} run{(r.Plan.Repeat == 1 ? "" : "s")} per point" +
        (r.Plan.Repeat > 1 ? " (charts show medians, tables median and min–max)" : "");

    private static string Banner(ComparisonResults r)
    {
        int ok = r.Outcomes.Count(o => o.Succeeded), failed = r.Outcomes.Count(o => !o.Succeeded && !o.Skipped), skipped = r.Outcomes.Count(o => o.Skipped);
        string css = failed > 0 || skipped > 0 ? "banner banner-warn" : "banner banner-good";
        string text = $"{ok} runs completed, {failed} failed, {skipped} skipped.";
        if (failed > 0) text += " A failure is a result: each is shown at its scenario with the error it gave.";
        if (r.StoppedEarly is not null) text += $" The run was cut short: {r.StoppedEarly}.";
        return $"<div class=\"{css}\">{E(text)}</div>\n";
    }

    private static string ScenarioSection(ComparisonResults results, ScenarioTable table)
    {
        var html = new StringBuilder();
        var verdict = ScenarioVerdict.For(table, results.Modes);
        html.Append($"<section class=\"scenario\" id=\"{Anchor(table.Scenario)}\"><h2>{E(table.Scenario)}</h2>\n");
        html.Append($"<p class=\"muted\">{E(ScenarioDescription(table))}</p>\n");
        string css = verdict.FailedAt.Count > 0 ? "banner banner-warn verdict" : "banner verdict";
        html.Append($"<div class=\"{css}\"><strong>Verdict.</strong> {E(verdict.Text)}</div>\n");
        html.Append(ReferenceServerReport.ScenarioHtml(results, table));
        // The table first: it holds every figure with its spread and the links; the charts show the trends.
        html.Append(FigureTable(table));
        html.Append(Failures(table));
        html.Append(Caveats(table));
        if (table.Points.Any(p => p.IsFailure))
            html.Append("<p class=\"muted\">Red rows failed; the figures they still produced are in the table, but the charts plot only points that did not fail.</p>\n");
        html.Append(ComparisonCharts.For(table));
        html.Append("</section>\n");
        return html.ToString();
    }

    private static string ScenarioDescription(ScenarioTable table)
    {
        var rung = table.Points.SelectMany(p => p.Runs).Select(r => r.Rung).FirstOrDefault();
        if (rung is null) return "";
        var f = table.Points.SelectMany(p => p.Runs).Select(r => r.Figures).FirstOrDefault(x => x is not null);
        string rate = rung.Rate is { } r ? $", --rate {r:0.##}/s in total" + (table.Clients.Count > 1 ? $" at {rung.Clients:N0} clients" : "") : "";
        string settings = rung.Settings.Count > 0 ? ", " + string.Join(", ", rung.Settings.Select(kv => $"{kv.Key}={kv.Value}")) : "";
        string latency = f?.LatencySource is { Length: > 0 } src ? $" Latency is {src} latency." : "";
        return $"{rung.Duration.TotalSeconds:0.#} s measured per run{rate}{settings}; throughput in {ComparisonCharts.ThroughputUnit(table)}.{latency}";
    }

    private static readonly Figure[] TableFigures =
        [Figure.Throughput, Figure.P50, Figure.P99, Figure.Loss, Figure.Failures, Figure.Threads, Figure.Rss, Figure.RssPerClient, Figure.Cpu];

    private static string FigureTable(ScenarioTable table)
    {
        // Columns no run filled (loss where nothing is sent) or that say nothing (no failed iteration anywhere) are
        // left out, so the table fits beside the charts without scrolling.
        var columns = TableFigures.Where(f => f == Figure.Throughput || table.Points.Any(p => p.Of(f, includeFailed: p.IsFailure) is { } s && (f != Figure.Failures || s.Max > 0))).ToArray();
        var html = new StringBuilder("<div class=\"table-scroll\"><table class=\"figures\">\n<thead><tr><th>Clients</th><th>Mode</th>");
        foreach (var f in columns)
        {
            string unit = f == Figure.Throughput ? ComparisonCharts.ThroughputUnit(table) : f.Unit;
            html.Append($"<th title=\"{E(f.AxisTitle(unit))}\">{E(f == Figure.Throughput ? $"{f.Column} ({unit})" : f.Column)}</th>");
        }
        html.Append("<th>Status</th><th>Run reports</th></tr></thead>\n<tbody>\n");
        foreach (int clients in table.Clients)
        {
            foreach (var mode in table.Modes)
            {
                if (table.Point(mode, clients) is not { } point) continue;
                html.Append(point.IsFailure ? "<tr class=\"failed\">" : "<tr>");
                html.Append($"<td>{clients:N0}</td><td>{E(ReferenceServers.Label(mode))}</td>");
                foreach (var f in columns) html.Append($"<td>{E(CellText.Of(point.Of(f, includeFailed: point.IsFailure), f))}</td>");
                string status = CellText.Status(point);
                string title = point.FirstFailure?.Failure is { } why ? $" title=\"{E(why)}\"" : "";
                html.Append($"<td{title}>{E(status)}</td><td>{RunLinks(point)}</td></tr>\n");
            }
        }
        return html.Append("</tbody></table></div>\n").ToString();
    }

    private static string RunLinks(PointSummary point) =>
        string.Join(" ", point.Runs.Where(r => !r.Skipped).Select(r =>
            r.ReportLink is { } link
                ? $"<a href=\"{E(link)}\">{(point.Runs.Count > 1 ? $"#{r.Repeat}" : "report")}</a>"
                : $"<span class=\"muted\">{(point.Runs.Count > 1 ? $"#{r.Repeat} " : "")}no report</span>"));

    private static string Failures(ScenarioTable table)
    {
        var failed = table.Points.SelectMany(p => p.Failed).OrderBy(o => o.Rung.Clients).ThenBy(o => o.Mode).ToArray();
        var skipped = table.Points.SelectMany(p => p.Runs).Where(r => r.Skipped).ToArray();
        if (failed.Length == 0 && skipped.Length == 0) return "";
        var html = new StringBuilder("<h3>Failures</h3>\n<ul class=\"failures\">\n");
        foreach (var o in failed)
        {
            html.Append($"<li><strong>{E(o.Mode)} at {o.Rung.Clients:N0} clients</strong>{(o.Repeat > 1 || table.Points.Any(p => p.Runs.Count > 1) ? $" (run #{o.Repeat})" : "")}: {E(o.Failure)}");
            if (o.ExitCode is { } code) html.Append($" <span class=\"muted\">exit code {code}</span>");
            if (o.ReportLink is { } link) html.Append($" — <a href=\"{E(link)}\">run report</a>");
            if (!string.IsNullOrWhiteSpace(o.FailureDetail))
                html.Append($"<details><summary>error output</summary><pre class=\"mono\">{E(o.FailureDetail)}</pre></details>");
            html.Append("</li>\n");
        }
        foreach (var group in skipped.GroupBy(s => (s.Mode, s.Failure)))
            html.Append($"<li class=\"muted\">{E(group.Key.Mode)} at {E(string.Join(", ", group.Select(g => g.Rung.Clients.ToString("N0")).Distinct()))} clients: {E(group.Key.Failure)}</li>\n");
        return html.Append("</ul>\n").ToString();
    }

    /// <summary>Runs whose figures come with a warning — the generator saturated, a threshold broke — so a reader
    /// knows which numbers describe the load generator's limits rather than the server's.</summary>
    private static string Caveats(ScenarioTable table)
    {
        var noted = table.Points.SelectMany(p => p.Succeeded).Where(o => o.Notes.Count > 0).OrderBy(o => o.Rung.Clients).ThenBy(o => o.Mode).ToArray();
        if (noted.Length == 0) return "";
        var html = new StringBuilder("<details class=\"caveats\"><summary>Caveats: ")
            .Append(noted.Length).Append(noted.Length == 1 ? " run" : " runs").Append(" came with warnings (e.g. the load generator could not keep its schedule, so latency includes its own delay)</summary>\n<ul>\n");
        foreach (var o in noted)
            html.Append($"<li>{E(o.Mode)} at {o.Rung.Clients:N0} clients{(o.Repeat > 1 ? $" (run #{o.Repeat})" : "")}: {E(string.Join("; ", o.Notes))}</li>\n");
        return html.Append("</ul></details>\n").ToString();
    }

    private static string HowItRan(ComparisonResults results)
    {
        var html = new StringBuilder("<section id=\"how-it-ran\"><h2>How it ran</h2>\n<table class=\"kv\">\n");
        foreach (var (name, value) in results.Environment.Rows())
            html.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");
        html.Append($"<tr><th>Server processes</th><td>a fresh server per mode and scenario, and after any failed rung; " +
                    $"stopped with SIGTERM ({results.Servers.Count} started)</td></tr>\n");
        var sharded = results.Plan.Rungs.Where(r => r.Shards > 1).OrderBy(r => r.Clients).FirstOrDefault();
        var warmUp = results.Plan.Rungs.Select(r => r.WarmUp).DefaultIfEmpty().Max();
        string generator = "a fresh load CLI process per rung (its own descriptors, memory and JIT)" +
                           (warmUp > TimeSpan.Zero ? $", {warmUp.TotalSeconds:0.#} s warm-up not counted (none for connect-storm)" : ", no warm-up") +
                           (sharded is null ? "" : $"; from {sharded.Clients:N0} clients split over {sharded.Shards}+ processes and merged");
        html.Append($"<tr><th>Generator</th><td>{E(generator)}</td></tr>\n");
        var sources = results.Outcomes.Where(o => o.Figures is not null).GroupBy(o => o.Figures!.ServerFiguresSource)
            .Select(g => $"{g.Key} ({g.Count()} runs)");
        html.Append($"<tr><th>Server figures</th><td>{E("sampled once a second during each run, from " + string.Join(", ", sources))}; " +
                    "threads and RSS are the run's peak, CPU its mean</td></tr>\n");
        html.Append("</table>\n<h3>Server processes</h3>\n<ul>\n");
        foreach (var s in results.Servers) html.Append($"<li>{E(s.Describe())}</li>\n");
        return html.Append("</ul></section>\n").ToString();
    }

    private static string AllRuns(ComparisonResults results)
    {
        var html = new StringBuilder("<section id=\"all-runs\"><h2>All runs</h2>\n<table class=\"figures\"><thead><tr><th>Mode</th><th>Scenario</th><th>Clients</th><th>Run</th><th>Wall time (s)</th><th>Outcome</th><th>Notes</th></tr></thead><tbody>\n");
        foreach (var o in results.Outcomes)
        {
            string outcome = o.Skipped ? "skipped" : o.Succeeded ? "ok" : "failed: " + o.Failure;
            string link = o.ReportLink is { } l ? $"<a href=\"{E(l)}\">{E(outcome)}</a>" : E(outcome);
            html.Append($"<tr{(o.Succeeded || o.Skipped ? "" : " class=\"failed\"")}><td>{E(o.Mode)}</td><td>{E(o.Rung.Scenario)}</td><td>{o.Rung.Clients:N0}</td><td>{o.Repeat}</td>" +
                        $"<td>{o.WallTime.TotalSeconds:0.0}</td><td>{link}</td><td style=\"text-align:left\">{E(string.Join("; ", o.Notes))}</td></tr>\n");
        }
        return html.Append("</tbody></table></section>\n").ToString();
    }

    public static string Anchor(string scenario) => "scenario-" + new string(scenario.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    private static string E(string? text) => HtmlText.Encode(text);
}
