using System.Text;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>summary.md: the verdicts and tables in Markdown, for a README or a pull request.</summary>
internal static class SummaryMarkdown
{
    private static readonly Figure[] Columns = [Figure.Throughput, Figure.P50, Figure.P99, Figure.Loss, Figure.Threads, Figure.Rss, Figure.RssPerClient, Figure.Cpu];

    public static string Render(ComparisonResults results)
    {
        var md = new StringBuilder();
        md.AppendLine($"# ChatLoad comparison: {string.Join(" vs ", results.Modes)}");
        md.AppendLine();
        md.AppendLine($"{results.Plan.Preset.ToString().ToLowerInvariant()} preset, {results.Started:yyyy-MM-dd HH:mm} UTC, took {PlanPrinter.Format(results.WallTime)}. " +
                      $"{results.Environment.Cores} cores, {results.Environment.Pinning.Description}; {results.Environment.Runtime}; {results.Environment.OperatingSystem}.");
        md.AppendLine($"Command: `{results.Environment.CommandLine}`");
        md.AppendLine();
        foreach (var scenario in results.Scenarios())
        {
            var table = results.Table(scenario);
            md.AppendLine($"## {scenario}");
            md.AppendLine();
            md.AppendLine(ScenarioVerdict.For(table, results.Modes).Text);
            md.AppendLine();
            md.Append(ReferenceServerReport.ScenarioMarkdown(results, table));
            md.Append("| Clients | Mode |");
            foreach (var f in Columns) md.Append($" {Title(table, f)} |");
            md.AppendLine(" Status |");
            md.Append("|---:|---|");
            foreach (var _ in Columns) md.Append("---:|");
            md.AppendLine("---|");
            foreach (int clients in table.Clients)
                foreach (var mode in table.Modes)
                {
                    if (table.Point(mode, clients) is not { } p) continue;
                    md.Append($"| {clients:N0} | {ReferenceServers.Label(mode)} |");
                    foreach (var f in Columns) md.Append($" {CellText.Of(p.Of(f, includeFailed: p.IsFailure), f)} |");
                    string status = CellText.Status(p) + (p.FirstFailure?.Failure is { } why ? ": " + why.Replace("|", "/").Replace("\n", " ") : "");
                    md.AppendLine($" {status} |");
                }
            md.AppendLine();
        }
        md.Append(ReferenceServerReport.SectionMarkdown(results));
        return md.ToString();
    }

    private static string Title(ScenarioTable table, Figure f) =>
        f == Figure.Throughput ? $"{f.Column} ({ComparisonCharts.ThroughputUnit(table)})" : f.Column;
}
