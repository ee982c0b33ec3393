using System.Globalization;
using System.Text;
using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Diff;

/// <summary>One figure of one scenario in both runs.</summary>
public sealed record DiffRow(string Scenario, string Metric, double? Baseline, double? Candidate, string Unit, bool HigherIsWorse)
{
    /// <summary>Candidate minus baseline, when both have the figure.</summary>
    public double? Delta => Baseline is { } a && Candidate is { } b ? b - a : null;
    /// <summary>The change relative to the baseline, in percent (null when the baseline is 0 or missing).</summary>
    public double? DeltaPercent => Baseline is { } a && Candidate is { } b && a != 0 ? 100 * (b - a) / Math.Abs(a) : null;
}

/// <summary>A regression rule applied to one scenario: its values in both runs and whether it broke.</summary>
public sealed record RuleOutcome(RegressionRule Rule, string Scenario, double? Baseline, double? Candidate, bool Broken, string Message);

/// <summary>
/// Two runs side by side: per scenario present in both, throughput, latency (iterations and every histogram),
/// failures and counters, with deltas; and each regression rule's verdict. Pure: computed from the two results.
/// </summary>
public sealed record RunDiff(RunResult Baseline, RunResult Candidate, IReadOnlyList<DiffRow> Rows, IReadOnlyList<RuleOutcome> Rules, IReadOnlyList<string> Unmatched)
{
    /// <summary>True when a regression rule broke: the exit code is then 1.</summary>
    public bool Regressed => Rules.Any(r => r.Broken);

    /// <exception cref="FormatException">A rule names a scenario or metric that neither run has (a typo, caught
    /// before it can pass silently).</exception>
    public static RunDiff Compute(RunResult baseline, RunResult candidate, IReadOnlyList<RegressionRule> rules)
    {
        var rows = new List<DiffRow>();
        var both = baseline.Scenarios.Where(a => candidate.Scenarios.Any(b => b.Name == a.Name)).ToArray();
        var unmatched = baseline.Scenarios.Select(s => s.Name).Concat(candidate.Scenarios.Select(s => s.Name))
            .Where(n => both.All(b => b.Name != n)).Distinct().ToArray();
        foreach (var a in both)
        {
            var b = candidate.Scenarios.First(s => s.Name == a.Name);
            rows.Add(new(a.Name, "throughput (iterations/s)", a.Iterations.Rps, b.Iterations.Rps, "/s", HigherIsWorse: false));
            foreach (var stat in new[] { "p50", "p99", "max" })
                rows.Add(new(a.Name, $"iteration {stat}", Latency(a.Iterations.Latency, stat), Latency(b.Iterations.Latency, stat), "ms", true));
            rows.Add(new(a.Name, "fail%", a.Iterations.FailPercent, b.Iterations.FailPercent, "%", true));
            foreach (var h in a.Histograms)
            {
                var other = b.Histograms.FirstOrDefault(x => x.Name == h.Name);
                foreach (var stat in new[] { "p50", "p99", "max" })
                    rows.Add(new(a.Name, $"{h.Name} {stat}", Latency(h, stat), other is null ? null : Latency(other, stat), "ms", true));
            }
            foreach (var c in a.Counters)
                rows.Add(new(a.Name, $"counter {c.Name}", c.Value, b.Counters.FirstOrDefault(x => x.Name == c.Name)?.Value, c.Unit, HigherIsWorse: false));
        }

        var outcomes = new List<RuleOutcome>();
        foreach (var rule in rules)
        {
            var scenarios = rule.Scenario is null ? both : both.Where(s => s.Name.Equals(rule.Scenario, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (scenarios.Length == 0)
                throw new FormatException($"rule \"{rule.Expression}\" names scenario '{rule.Scenario}', which is not in both runs ({string.Join(", ", both.Select(s => s.Name))})");
            int applied = 0;
            foreach (var a in scenarios)
            {
                var b = candidate.Scenarios.First(s => s.Name == a.Name);
                double? va = rule.Read(a), vb = rule.Read(b);
                if (va is null || vb is null) continue;
                applied++;
                bool broken = rule.Broken(va.Value, vb.Value);
                outcomes.Add(new RuleOutcome(rule, a.Name, va, vb, broken,
                    $"{a.Name}: {rule.MetricText} {Number(va.Value)} → {Number(vb.Value)} ({rule.FormatChange(va.Value, vb.Value)}; rule {rule.Operator} {FormatLimit(rule)})"));
            }
            if (applied == 0)
                throw new FormatException($"rule \"{rule.Expression}\": no scenario of both runs has {rule.MetricText}");
        }
        return new RunDiff(baseline, candidate, rows, outcomes, unmatched);
    }

    private static string FormatLimit(RegressionRule rule) =>
        rule.Relative ? $"{rule.Change:+0.###;-0.###;0}%" : $"{rule.Change:+0.###;-0.###;0}{(rule.IsLatency ? " ms" : "")}";

    private static double? Latency(LatencyResult latency, string stat) => latency.Count == 0 ? null : RegressionRule.StatOf(latency, stat);

    /// <summary>A figure as the diff prints it: thousands separated, few decimals.</summary>
    public static string Number(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Cell(double? v) => v is { } x ? Number(x) : "–";

    private static string DeltaCell(DiffRow row) =>
        row.Delta is not { } d ? "–"
        : (d >= 0 ? "+" : "") + Number(d) + (row.DeltaPercent is { } p ? $" ({p:+0.#;-0.#;0}%)" : "");

    /// <summary>The diff as plain text (the console) or Markdown (diff.md).</summary>
    public string Render(bool markdown)
    {
        var text = new StringBuilder();
        string a = $"{Baseline.Info.TestName} ({Baseline.Info.Started:yyyy-MM-dd HH:mm})", b = $"{Candidate.Info.TestName} ({Candidate.Info.Started:yyyy-MM-dd HH:mm})";
        text.AppendLine(markdown ? $"# Run diff\n\nbaseline: {a}  \ncandidate: {b}\n" : $"baseline:  {a}\ncandidate: {b}");
        foreach (var scenario in Rows.Select(r => r.Scenario).Distinct())
        {
            text.AppendLine(markdown ? $"## {scenario}\n" : $"\n{scenario}");
            string[] headers = ["figure", "baseline", "candidate", "change"];
            var rows = Rows.Where(r => r.Scenario == scenario && (r.Baseline is not null || r.Candidate is not null));
            if (markdown)
            {
                var table = new MarkdownTable(headers);
                foreach (var r in rows) table.Add(r.Metric, Cell(r.Baseline), Cell(r.Candidate), DeltaCell(r));
                table.WriteTo(text);
            }
            else
            {
                var table = new TextTable(headers);
                foreach (var r in rows) table.Add(r.Metric, Cell(r.Baseline), Cell(r.Candidate), DeltaCell(r));
                table.WriteTo(text);
            }
        }
        if (Unmatched.Count > 0) text.AppendLine($"{(markdown ? "\n" : "")}only in one run (not compared): {string.Join(", ", Unmatched)}");
        if (Rules.Count > 0)
        {
            text.AppendLine(markdown ? "\n## Regression rules\n" : "\nregression rules:");
            foreach (var r in Rules) text.AppendLine($"{(markdown ? "- " : "  ")}{(r.Broken ? "BROKEN" : "ok")}: {r.Message}");
        }
        text.AppendLine(Regressed ? "\nregression: a rule broke (exit code 1)" : Rules.Count > 0 ? "\nno regression: every rule held" : "\n(no --fail-if rules given: deltas only)");
        return text.ToString();
    }
}
