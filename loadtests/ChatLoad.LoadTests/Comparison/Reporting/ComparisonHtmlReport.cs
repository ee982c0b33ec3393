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
        string servers = string.Join(" vs ", results.Servers);
        body.Append($"<h1>ChatLoad comparison: {E(servers)}</h1>\n");
        body.Append($"<p class=\"subtitle\">{E(Subtitle(results))}</p>\n");

        // The answer first: a reader who stops after one paragraph still leaves with it.
        var answer = Answer.For(results);
        body.Append("<section id=\"answer\"><h2>The answer</h2>\n");
        body.Append($"<p class=\"answer\"><strong>{E(answer.Headline)}</strong></p>\n<ul class=\"verdicts\">\n");
        foreach (var clause in answer.Clauses) body.Append($"<li>{E(clause)}</li>\n");
        body.Append("</ul>\n").Append(Banner(results)).Append("</section>\n");

        if (results.Baseline is { } baseline) body.Append(BaselineSection(baseline));

        body.Append("<nav class=\"toc\"><strong>Scenarios:</strong> ");
        body.Append(string.Join(" · ", results.Scenarios().Select(s => $"<a href=\"#{Anchor(s)}\">{E(s)}</a>")));
        if (ReferenceServerReport.Any(results)) body.Append($" · <a href=\"#{ReferenceServerReport.Anchor}\">reference servers</a>");
        body.Append(" · <a href=\"#how-it-ran\">how it ran</a> · <a href=\"#all-runs\">all runs</a></nav>\n");

        var plain = results.Scenarios().Where(s => results.Table(s).Points.Count > 0).ToArray();
        if (plain.Length > 0)
        {
            body.Append("<section><h2>Verdicts</h2><ul class=\"verdicts\">\n");
            foreach (var scenario in plain)
                body.Append($"<li><a href=\"#{Anchor(scenario)}\"><strong>{E(scenario)}</strong></a>: {E(ScenarioVerdict.For(results.Table(scenario), results.Servers).Text)}</li>\n");
            body.Append("</ul></section>\n");
        }

        foreach (var scenario in results.Scenarios())
        {
            body.Append($"<section class=\"scenario\" id=\"{Anchor(scenario)}\"><h2>{E(scenario)}</h2>\n");
            if (results.Saturation(scenario) is { } saturation) body.Append(SaturationSection(saturation));
            if (results.Table(scenario) is { Points.Count: > 0 } table) body.Append(ScenarioSection(results, table));
            body.Append("</section>\n");
        }

        body.Append(ReferenceServerReport.SectionHtml(results));
        body.Append(HowItRan(results));
        body.Append(AllRuns(results));
        return HtmlPage.Render($"ChatLoad comparison: {servers}", body.ToString(), script);
    }

    private static string Subtitle(ComparisonResults r) =>
        $"{r.Plan.Preset.ToString().ToLowerInvariant()} preset, started {r.Started:yyyy-MM-dd HH:mm} UTC, took {PlanPrinter.Format(r.WallTime)}; " +
        $"up to {r.Plan.MaxClients:N0} concurrent clients; {r.Plan.RepeatsDescription()}" +
        (r.Plan.ConfirmRepeats > 1 || r.Plan.Repeat > 1 ? " (charts show medians, tables median and min–max)" : "");

    /// <summary>One banner for the runs as a whole, agreeing with everything below it: failures are results and
    /// are explained at their scenario; points where the generator saturated are marked and left out of verdicts.</summary>
    private static string Banner(ComparisonResults r)
    {
        int ok = r.Outcomes.Count(o => o.Succeeded), failed = r.Outcomes.Count(o => !o.Succeeded && !o.Skipped), skipped = r.Outcomes.Count(o => o.Skipped);
        int saturated = r.Outcomes.Count(o => o.Figures is { GeneratorSaturated: true });
        string css = failed > 0 || skipped > 0 || saturated > 0 ? "banner banner-warn" : "banner banner-good";
        string text = $"{ok} runs completed, {failed} failed, {skipped} skipped.";
        if (failed > 0) text += " A failure is a result: each is shown at its scenario with the error it gave and every client it cost, by reason.";
        if (saturated > 0) text += $" In {saturated} run{(saturated == 1 ? "" : "s")} the load generator saturated: those runs are left out of every verdict (plain points are marked ⚠; a saturation search stops there and reports a lower bound, ≥).";
        if (r.StoppedEarly is not null) text += $" The run was cut short: {r.StoppedEarly}.";
        return $"<div class=\"{css}\">{E(text)}</div>\n";
    }

    private static string BaselineSection(BaselineComparison b)
    {
        var html = new StringBuilder($"<section id=\"baseline\"><h2>Against the baseline</h2>\n<p class=\"muted\">{E($"baseline: {b.Folder} (started {b.BaselineStarted:yyyy-MM-dd HH:mm} UTC); medians of both; changes of 10% or more in the worse direction are marked")}</p>\n");
        if (b.Rules.Count > 0)
        {
            html.Append($"<div class=\"banner {(b.Regressed ? "banner-bad" : "banner-good")}\"><strong>{(b.Regressed ? "Regression: a rule broke (exit code 1)." : "Every regression rule held.")}</strong><ul>");
            foreach (var rule in b.Rules.Where(r => r.Broken).Concat(b.Rules.Where(r => !r.Broken).Take(20)))
                html.Append($"<li>{(rule.Broken ? "BROKEN" : "ok")}: {E(rule.Rule.Expression)} — {E(rule.Message)}</li>");
            html.Append("</ul></div>\n");
        }
        html.Append("<div class=\"table-scroll\"><table class=\"figures\"><thead><tr><th>Scenario</th><th>Server</th><th>Clients</th><th>Figure</th><th>Baseline</th><th>Now</th><th>Change</th></tr></thead><tbody>\n");
        foreach (var row in b.Rows)
        {
            string change = row.ChangePercent is { } c ? $"{c:+0.#;-0.#;0}%" : "–";
            html.Append($"<tr{(row.WorseBy(10) ? " class=\"failed\"" : "")}><td>{E(row.Scenario)}</td><td>{E(row.Server)}</td><td>{row.Clients:N0}</td><td style=\"text-align:left\">{E(row.Figure)}</td>" +
                        $"<td>{Num(row.Baseline)}</td><td>{Num(row.Current)}</td><td>{change}</td></tr>\n");
        }
        return html.Append("</tbody></table></div></section>\n").ToString();
    }

    private static string Num(double? v) => v is { } x ? E(CellText.Number(x, Figure.P99)) : "–";

    // Total RSS, not per client: under load the growth is mostly traffic (buffers, heap), not what a client costs at rest.
    private static readonly Figure[] SaturationFigures = [Figure.P50, Figure.P99, Figure.Max, Figure.Threads, Figure.Rss, Figure.Cpu, Figure.CpuPerDelivery, Figure.GeneratorCpu];

    /// <summary>The central chart and table: each server's highest sustainable rate against client count, with the
    /// figures at that rate (median and min–max over its runs) and every probe of the search behind it.</summary>
    private static string SaturationSection(SaturationTable table)
    {
        var spec = table.Points.First().Spec;
        var html = new StringBuilder();
        html.Append($"<h3>Saturation: highest sustainable load at p99 ≤ {E(PointComparison.Ms(spec.SloP99Ms))}</h3>\n");
        html.Append($"<p class=\"muted\">{E($"For each server and client count, a bounded search (from {spec.StartRate:N0} messages/s, ×{spec.Factor:0.#} per step up to {spec.MaxRate:N0}, then {spec.BisectSteps} bisection{(spec.BisectSteps == 1 ? "" : "s")}) for the largest offered rate with p99 end-to-end latency within the SLO, no message lost, no client or iteration failed and the load generator not saturated. Each message reaches {spec.DeliveriesPerMessage:0} receivers. ≥ marks a rate the server was not pushed past: a probe whose load generator saturated is left out of its search, which then reports the rate below it as a lower bound (or the search's cap held).")}</p>\n");
        html.Append(ComparisonCharts.Saturation(table));
        var columns = SaturationFigures.Where(f => table.Points.Any(p => p.Summary.Of(f) is not null)).ToArray();
        html.Append("<div class=\"table-scroll\"><table class=\"figures saturation\">\n<thead><tr><th>Clients</th><th>Server</th><th>Sustained (deliveries/s)</th><th>Messages/s</th><th>Held</th>");
        foreach (var f in columns) html.Append($"<th>{E(f.Column)}</th>");
        html.Append("<th>Why it stopped there</th><th>Run reports</th></tr></thead>\n<tbody>\n");
        foreach (int clients in table.Clients)
            foreach (var server in table.Servers)
            {
                if (table.Point(server, clients) is not { } p) continue;
                html.Append(p.Rate is null || !p.Confirmed ? "<tr class=\"failed\">" : "<tr>");
                html.Append($"<td>{clients:N0}</td><td>{E(server)}</td>");
                html.Append($"<td><strong>{(p.Rate is null ? "–" : E(p.Qualifier + $"{p.OfferedDeliveries:N0}"))}</strong></td><td>{(p.Rate is { } r ? $"{r:N0}" : "–")}</td>");
                html.Append($"<td>{(p.AtRate.Count == 0 ? "–" : $"{p.HeldCount}/{p.AtRate.Count}")}</td>");
                foreach (var f in columns) html.Append($"<td>{E(CellText.Of(p.Summary.Of(f), f))}</td>");
                html.Append($"<td style=\"text-align:left\">{E(Answer.Why(p))}</td><td>{RunLinks(p.Summary)}</td></tr>\n");
            }
        html.Append("</tbody></table></div>\n");

        html.Append("<details class=\"caveats\"><summary>Every probe of the searches</summary>\n<table class=\"figures\"><thead><tr><th>Server</th><th>Clients</th><th>#</th><th>Offered (messages/s)</th><th>Verdict</th><th>Delivered (messages/s)</th><th>p99 (ms)</th><th>Generator CPU (%)</th><th>Why</th><th>Report</th></tr></thead><tbody>\n");
        foreach (var p in table.Points.OrderBy(p => p.Server).ThenBy(p => p.Clients))
            foreach (var probe in p.Probes.Concat(p.AtRate.Where(a => a.Phase == RunPhase.Confirm)).OrderBy(x => x.Repeat))
            {
                var (verdict, why) = ProbeJudgement.Of(probe, p.Spec);
                var f = probe.Figures;
                html.Append($"<tr{(verdict == ProbeVerdict.Held ? "" : " class=\"failed\"")}><td>{E(p.Server)}</td><td>{p.Clients:N0}</td><td>{probe.Repeat}{(probe.Phase == RunPhase.Confirm ? " (repeat)" : "")}</td>" +
                            $"<td>{probe.Rung.Rate:N0}</td><td>{E(verdict.ToString())}</td><td>{(f is null ? "–" : $"{f.Throughput:N0}")}</td><td>{(f?.P99Ms is { } p99 ? E(CellText.Number(p99, Figure.P99)) : "–")}</td>" +
                            $"<td>{(f is null ? "–" : $"{f.GeneratorCpuPercent:0}")}</td><td style=\"text-align:left\">{E(why)}</td><td>{(probe.ReportLink is { } l ? $"<a href=\"{E(l)}\">report</a>" : "")}</td></tr>\n");
            }
        return html.Append("</tbody></table></details>\n").ToString();
    }

    private static string ScenarioSection(ComparisonResults results, ScenarioTable table)
    {
        var html = new StringBuilder();
        var verdict = ScenarioVerdict.For(table, results.Servers);
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
        [Figure.Throughput, Figure.P50, Figure.P99, Figure.Max, Figure.Loss, Figure.Failures, Figure.Threads, Figure.Rss, Figure.RssPerClient, Figure.Cpu, Figure.CpuPerDelivery, Figure.GeneratorCpu];

    private static string FigureTable(ScenarioTable table)
    {
        // Columns no run filled (loss where nothing is sent) or that say nothing (no failed iteration anywhere) are
        // left out, so the table fits beside the charts without scrolling.
        var columns = TableFigures.Where(f => f == Figure.Throughput || table.Points.Any(p => p.Of(f, includeFailed: p.IsFailure) is { } s && (f != Figure.Failures || s.Max > 0))).ToArray();
        var html = new StringBuilder("<div class=\"table-scroll\"><table class=\"figures\">\n<thead><tr><th>Clients</th><th>Server</th>");
        foreach (var f in columns)
        {
            string unit = f == Figure.Throughput ? ComparisonCharts.ThroughputUnit(table) : f.Unit;
            html.Append($"<th title=\"{E(f.AxisTitle(unit))}\">{E(f == Figure.Throughput ? $"{f.Column} ({unit})" : f.Column)}</th>");
        }
        html.Append("<th>Status</th><th>Run reports</th></tr></thead>\n<tbody>\n");
        foreach (int clients in table.Clients)
        {
            foreach (var mode in table.Servers)
            {
                if (table.Point(mode, clients) is not { } point) continue;
                html.Append(point.IsFailure ? "<tr class=\"failed\">" : "<tr>");
                html.Append($"<td>{clients:N0}</td><td>{E(ReferenceServers.Label(mode))}{(point.GeneratorSaturated ? " ⚠" : "")}</td>");
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
        var failed = table.Points.SelectMany(p => p.Failed).OrderBy(o => o.Rung.Clients).ThenBy(o => o.Server).ToArray();
        var skipped = table.Points.SelectMany(p => p.Runs).Where(r => r.Skipped).ToArray();
        if (failed.Length == 0 && skipped.Length == 0) return "";
        var html = new StringBuilder("<h3>Failures</h3>\n<ul class=\"failures\">\n");
        foreach (var o in failed)
        {
            html.Append($"<li><strong>{E(o.Server)} at {o.Rung.Clients:N0} clients</strong>{(o.Repeat > 1 || table.Points.Any(p => p.Runs.Count > 1) ? $" (run #{o.Repeat})" : "")}: {E(o.Failure)}");
            if (o.ExitCode is { } code) html.Append($" <span class=\"muted\">exit code {code}</span>");
            if (o.ReportLink is { } link) html.Append($" — <a href=\"{E(link)}\">run report</a>");
            // Every client and iteration the failure cost, by reason, so nothing is left unexplained.
            if (o.Figures?.SetupFailures is { } setup) html.Append($"<br><span class=\"muted\">clients not set up: {E(setup)}</span>");
            if (o.Figures?.TopError is { } errors && o.Figures.Failures > 0) html.Append($"<br><span class=\"muted\">failed iterations ({o.Figures.Failures:N0}): {E(errors)}</span>");
            if (!string.IsNullOrWhiteSpace(o.FailureDetail))
                html.Append($"<details><summary>error output</summary><pre class=\"mono\">{E(o.FailureDetail)}</pre></details>");
            html.Append("</li>\n");
        }
        foreach (var group in skipped.GroupBy(s => (s.Server, s.Failure)))
            html.Append($"<li class=\"muted\">{E(group.Key.Server)} at {E(string.Join(", ", group.Select(g => g.Rung.Clients.ToString("N0")).Distinct()))} clients: {E(group.Key.Failure)}</li>\n");
        return html.Append("</ul>\n").ToString();
    }

    /// <summary>Runs whose figures come with a warning — the generator saturated, a threshold broke — so a reader
    /// knows which numbers describe the load generator's limits rather than the server's.</summary>
    private static string Caveats(ScenarioTable table)
    {
        var noted = table.Points.SelectMany(p => p.Succeeded).Where(o => o.Notes.Count > 0).OrderBy(o => o.Rung.Clients).ThenBy(o => o.Server).ToArray();
        if (noted.Length == 0) return "";
        var html = new StringBuilder("<details class=\"caveats\"><summary>Caveats: ")
            .Append(noted.Length).Append(noted.Length == 1 ? " run" : " runs").Append(" came with warnings (e.g. the load generator could not keep its schedule, so latency includes its own delay)</summary>\n<ul>\n");
        foreach (var o in noted)
            html.Append($"<li>{E(o.Server)} at {o.Rung.Clients:N0} clients{(o.Repeat > 1 ? $" (run #{o.Repeat})" : "")}: {E(string.Join("; ", o.Notes))}</li>\n");
        return html.Append("</ul></details>\n").ToString();
    }

    private static string HowItRan(ComparisonResults results)
    {
        var html = new StringBuilder("<section id=\"how-it-ran\"><h2>How it ran</h2>\n<table class=\"kv\">\n");
        foreach (var (name, value) in results.Environment.Rows())
            html.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");
        html.Append($"<tr><th>Server processes</th><td>a fresh server per server under test and scenario, after any failed rung and after a saturation probe that missed (an overloaded server's backlog would colour the next probe); " +
                    $"stopped with SIGTERM ({results.ServerProcesses.Count} started)</td></tr>\n");
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
        foreach (var s in results.ServerProcesses) html.Append($"<li>{E(s.Describe())}</li>\n");
        return html.Append("</ul></section>\n").ToString();
    }

    private static string AllRuns(ComparisonResults results)
    {
        var html = new StringBuilder("<section id=\"all-runs\"><h2>All runs</h2>\n<table class=\"figures\"><thead><tr><th>Server</th><th>Scenario</th><th>Clients</th><th>Run</th><th>Wall time (s)</th><th>Outcome</th><th>Notes</th></tr></thead><tbody>\n");
        foreach (var o in results.Outcomes)
        {
            string outcome = o.Skipped ? "skipped" : o.Succeeded ? "ok" : "failed: " + o.Failure;
            string link = o.ReportLink is { } l ? $"<a href=\"{E(l)}\">{E(outcome)}</a>" : E(outcome);
            html.Append($"<tr{(o.Succeeded || o.Skipped ? "" : " class=\"failed\"")}><td>{E(o.Server)}</td><td>{E(o.Rung.Scenario)}</td><td>{o.Rung.Clients:N0}</td><td>{o.Repeat}</td>" +
                        $"<td>{o.WallTime.TotalSeconds:0.0}</td><td>{link}</td><td style=\"text-align:left\">{E(string.Join("; ", o.Notes))}</td></tr>\n");
        }
        return html.Append("</tbody></table></section>\n").ToString();
    }

    public static string Anchor(string scenario) => "scenario-" + new string(scenario.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    private static string E(string? text) => HtmlText.Encode(text);
}
