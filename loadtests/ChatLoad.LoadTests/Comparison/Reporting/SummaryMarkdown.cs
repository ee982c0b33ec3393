using System.Text;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>summary.md: the answer, the saturation points, the baseline and each scenario's verdict and table in
/// Markdown, for a README or a pull request.</summary>
internal static class SummaryMarkdown
{
    private static readonly Figure[] Columns = [Figure.Throughput, Figure.P50, Figure.P99, Figure.Max, Figure.Loss, Figure.Threads, Figure.Rss, Figure.RssPerClient, Figure.Cpu, Figure.CpuPerDelivery];

    public static string Render(ComparisonResults results)
    {
        var md = new StringBuilder();
        md.AppendLine($"# ChatLoad comparison: {string.Join(" vs ", results.Servers)}");
        md.AppendLine();
        md.AppendLine($"{results.Plan.Preset.ToString().ToLowerInvariant()} preset, {results.Started:yyyy-MM-dd HH:mm} UTC, took {PlanPrinter.Format(results.WallTime)}; " +
                      $"{results.Plan.RepeatsDescription()}. {results.Environment.Cores} cores, {results.Environment.Pinning.Description}; {results.Environment.Runtime}; {results.Environment.OperatingSystem}.");
        md.AppendLine($"Command: `{results.Environment.CommandLine}`");
        md.AppendLine();
        var answer = Answer.For(results);
        md.AppendLine("## The answer").AppendLine();
        md.AppendLine($"**{answer.Headline}**").AppendLine();
        foreach (var clause in answer.Clauses) md.AppendLine($"- {clause}");
        md.AppendLine();

        if (results.Baseline is { } b)
        {
            md.AppendLine("## Against the baseline").AppendLine();
            md.AppendLine($"baseline: `{b.Folder}` ({b.BaselineStarted:yyyy-MM-dd HH:mm} UTC). " + (b.Rules.Count == 0 ? "" : b.Regressed ? "**Regression: a rule broke.**" : "Every rule held."));
            md.AppendLine();
            foreach (var r in b.Rules.Where(r => r.Broken)) md.AppendLine($"- BROKEN: `{r.Rule.Expression}` — {r.Message}");
            md.AppendLine().AppendLine("| Scenario | Server | Clients | Figure | Baseline | Now | Change |").AppendLine("|---|---|---:|---|---:|---:|---:|");
            foreach (var row in b.Rows)
                md.AppendLine($"| {row.Scenario} | {row.Server} | {row.Clients:N0} | {row.Figure} | {Num(row.Baseline)} | {Num(row.Current)} | {(row.ChangePercent is { } c ? $"{c:+0.#;-0.#;0}%" : "–")} |");
            md.AppendLine();
        }

        foreach (var scenario in results.Scenarios())
        {
            md.AppendLine($"## {scenario}").AppendLine();
            if (results.Saturation(scenario) is { } sat)
            {
                var spec = sat.Points.First().Spec;
                md.AppendLine($"Highest sustainable load at p99 ≤ {PointComparison.Ms(spec.SloP99Ms)}, nothing lost (rooms where each message reaches {spec.DeliveriesPerMessage:0} receivers; ≥: not pushed past, a lower bound):");
                md.AppendLine();
                md.AppendLine("| Clients | Server | Sustained (deliveries/s) | Messages/s | Held | p50 (ms) | p99 (ms) | max (ms) | Threads | RSS (MB) | CPU/delivery (µs) | Why it stopped there |");
                md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
                foreach (int clients in sat.Clients)
                    foreach (var server in sat.Servers)
                    {
                        if (sat.Point(server, clients) is not { } p) continue;
                        var s = p.Summary;
                        md.AppendLine($"| {clients:N0} | {server} | {(p.Rate is null ? "–" : p.Qualifier + $"{p.OfferedDeliveries:N0}")} | {(p.Rate is { } r ? $"{r:N0}" : "–")} | " +
                                      $"{(p.AtRate.Count == 0 ? "–" : $"{p.HeldCount}/{p.AtRate.Count}")} | {Cell(s, Figure.P50)} | {Cell(s, Figure.P99)} | {Cell(s, Figure.Max)} | {Cell(s, Figure.Threads)} | " +
                                      $"{Cell(s, Figure.Rss)} | {Cell(s, Figure.CpuPerDelivery)} | {Answer.Why(p).Replace("|", "/")} |");
                    }
                md.AppendLine();
            }
            var table = results.Table(scenario);
            if (table.Points.Count == 0) continue;
            md.AppendLine(ScenarioVerdict.For(table, results.Servers).Text);
            md.AppendLine();
            md.Append(ReferenceServerReport.ScenarioMarkdown(results, table));
            md.Append("| Clients | Server |");
            foreach (var f in Columns) md.Append($" {Title(table, f)} |");
            md.AppendLine(" Status |");
            md.Append("|---:|---|");
            foreach (var _ in Columns) md.Append("---:|");
            md.AppendLine("---|");
            foreach (int clients in table.Clients)
                foreach (var server in table.Servers)
                {
                    if (table.Point(server, clients) is not { } p) continue;
                    md.Append($"| {clients:N0} | {ReferenceServers.Label(server)}{(p.GeneratorSaturated ? " ⚠" : "")} |");
                    foreach (var f in Columns) md.Append($" {CellText.Of(p.Of(f, includeFailed: p.IsFailure), f)} |");
                    string status = CellText.Status(p) + (p.FirstFailure?.Failure is { } why ? ": " + why.Replace("|", "/").Replace("\n", " ") : "");
                    md.AppendLine($" {status} |");
                }
            md.AppendLine();
        }
        md.Append(ReferenceServerReport.SectionMarkdown(results));
        return md.ToString();
    }

    private static string Cell(PointSummary s, Figure f) => CellText.Of(s.Of(f), f);

    private static string Num(double? v) => v is { } x ? CellText.Number(x, Figure.P99) : "–";

    private static string Title(ScenarioTable table, Figure f) =>
        f == Figure.Throughput ? $"{f.Column} ({ComparisonCharts.ThroughputUnit(table)})" : f.Column;
}
