using ChatLoad.LoadEngine.Diff;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>One figure of one point in the baseline comparison and in this one.</summary>
public sealed record BaselineRow(string Scenario, string Server, int Clients, string Figure, double? Baseline, double? Current, bool LowerIsBetter)
{
    public double? ChangePercent => Baseline is { } a && Current is { } b && a != 0 ? 100 * (b - a) / Math.Abs(a) : null;

    /// <summary>Worse by more than <paramref name="percent"/>, in the direction that matters for this figure.</summary>
    public bool WorseBy(double percent) => ChangePercent is { } c && (LowerIsBetter ? c > percent : c < -percent);
}

/// <summary>
/// <c>compare --baseline DIR</c>: this comparison against an earlier one (its comparison.json), point by point —
/// every figure's median with its change, and each saturation point's sustained rate — and the regression rules
/// (<c>--fail-if "p99 &gt; +10%"</c>, <c>"throughput &lt; -5%"</c>; the grammar of <c>loadtest diff</c>), whose
/// breaking makes the exit code 1. Latency rules read the comparison's headline latency (end-to-end for chat);
/// "throughput" reads plain points' throughput and saturation points' sustained deliveries/s.
/// </summary>
public sealed record BaselineComparison(string Folder, DateTimeOffset BaselineStarted, IReadOnlyList<BaselineRow> Rows, IReadOnlyList<RuleOutcome> Rules)
{
    public const string SustainedFigure = "sustained deliveries/s";

    public bool Regressed => Rules.Any(r => r.Broken);

    private static readonly Figure[] Compared =
        [Figure.Throughput, Figure.P50, Figure.P99, Figure.Max, Figure.Loss, Figure.Failures, Figure.Threads, Figure.RssPerClient, Figure.CpuPerDelivery];

    /// <exception cref="FormatException">A rule names what no point of both comparisons has.</exception>
    public static BaselineComparison Compute(ComparisonResults baseline, ComparisonResults current, IReadOnlyList<RegressionRule> rules, string folder)
    {
        var rows = new List<BaselineRow>();
        foreach (var scenario in current.Scenarios().Where(s => baseline.Scenarios().Contains(s)))
        {
            var a = baseline.Table(scenario);
            var b = current.Table(scenario);
            foreach (var point in b.Points.Where(p => p.SucceededCount > 0))
                if (a.Point(point.Server, point.Clients) is { SucceededCount: > 0 } before)
                    foreach (var f in Compared)
                        if (before.Median(f) is not null || point.Median(f) is not null)
                            rows.Add(new BaselineRow(scenario, point.Server, point.Clients, f.Title, before.Median(f), point.Median(f), f.LowerIsBetter));

            if (baseline.Saturation(scenario) is { } sa && current.Saturation(scenario) is { } sb)
                foreach (var point in sb.Points)
                    if (sa.Point(point.Server, point.Clients) is { } before)
                    {
                        rows.Add(new BaselineRow(scenario, point.Server, point.Clients, SustainedFigure, before.OfferedDeliveries, point.OfferedDeliveries, LowerIsBetter: false));
                        rows.Add(new BaselineRow(scenario, point.Server, point.Clients, "p99 latency at the sustained rate",
                            before.Summary.Median(Figure.P99), point.Summary.Median(Figure.P99), LowerIsBetter: true));
                    }
        }

        var outcomes = new List<RuleOutcome>();
        foreach (var rule in rules)
        {
            var figures = FiguresOf(rule);
            var applicable = rows.Where(r => figures.Contains(r.Figure) && (rule.Scenario is null || r.Scenario.Equals(rule.Scenario, StringComparison.OrdinalIgnoreCase))
                                             && r.Baseline is not null && r.Current is not null).ToArray();
            if (applicable.Length == 0)
                throw new FormatException($"rule \"{rule.Expression}\" matches no point that both comparisons measured");
            foreach (var row in applicable)
            {
                bool broken = rule.Broken(row.Baseline!.Value, row.Current!.Value);
                outcomes.Add(new RuleOutcome(rule, row.Scenario, row.Baseline, row.Current, broken,
                    $"{row.Scenario} {row.Server} {row.Clients:N0} clients: {row.Figure} {CellText.Number(row.Baseline.Value, Figure.Throughput)} → " +
                    $"{CellText.Number(row.Current.Value, Figure.Throughput)} ({rule.FormatChange(row.Baseline.Value, row.Current.Value)}; rule {rule.Operator} {Limit(rule)})"));
            }
        }
        return new BaselineComparison(folder, baseline.Started, rows, outcomes);
    }

    /// <summary>Which of the comparison's figures a rule reads.</summary>
    private static IReadOnlyList<string> FiguresOf(RegressionRule rule) => rule.Kind switch
    {
        DiffMetricKind.Throughput => [Figure.Throughput.Title, SustainedFigure],
        DiffMetricKind.FailPercent => [Figure.Failures.Title],
        DiffMetricKind.Latency or DiffMetricKind.Histogram => rule.Stat switch
        {
            "p50" => [Figure.P50.Title],
            "p99" => [Figure.P99.Title, "p99 latency at the sustained rate"],
            "max" => [Figure.Max.Title],
            _ => throw new FormatException($"rule \"{rule.Expression}\": the comparison keeps p50, p99 and max latency, not {rule.Stat}"),
        },
        _ => throw new FormatException($"rule \"{rule.Expression}\": the comparison has no counters; use throughput, p50, p99, max or fail%"),
    };

    private static string Limit(RegressionRule rule) => rule.Relative ? $"{rule.Change:+0.###;-0.###;0}%" : $"{rule.Change:+0.###;-0.###;0}";
}
