namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// One server against another at one client count, every figure weighed: loss, failed clients and iterations,
/// throughput, p50, p99 and max latency (what a chat user notices, in that order), then what it cost — threads and
/// memory per client, CPU per delivery. <see cref="Shortfall"/> is the most telling way it fell behind;
/// <see cref="Findings"/> every way; <see cref="Excluded"/> says why the point is not compared at all (the load
/// generator saturated, so the figures are the generator's).
/// </summary>
public sealed record PointComparison(int Clients, string? Shortfall, bool LatencyTooFewSamples = false)
{
    public bool Matched => Shortfall is null && Excluded is null;

    /// <summary>Every figure on which the first server fared worse than the second, beyond the tolerances.</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];

    /// <summary>Set when the point is left out of the verdict, with the reason.</summary>
    public string? Excluded { get; init; }

    /// <summary>How <paramref name="mode"/> fared against <paramref name="other"/> at this point; null when either
    /// lacks the figures to say (a failed point is the failure sentence's business, not this one's).</summary>
    public static PointComparison? Of(PointSummary mode, PointSummary other, VerdictTolerances tol)
    {
        if (mode.IsFailure || other.IsFailure || mode.SucceededCount == 0 || other.SucceededCount == 0) return null;
        if (mode.GeneratorSaturated || other.GeneratorSaturated)
        {
            string which = mode.GeneratorSaturated && other.GeneratorSaturated ? "both runs" : $"the {(mode.GeneratorSaturated ? mode.Server : other.Server)} run";
            return new(mode.Clients, null) { Excluded = $"the load generator saturated in {which}, so the figures are the generator's" };
        }

        var findings = new List<string>();
        bool fewSamples = Math.Min(Samples(mode), Samples(other)) < tol.MinLatencySamples;

        double? loss = mode.Median(Figure.Loss), otherLoss = other.Median(Figure.Loss);
        if (loss is { } l && otherLoss is { } ol && l - ol > tol.LossPoints)
            findings.Add($"it lost {l:0.##}% of messages vs {ol:0.##}%");

        double? failed = mode.Median(Figure.Failures), otherFailed = other.Median(Figure.Failures);
        if (failed is { } f && otherFailed is { } of && f - of > tol.LossPoints)
            findings.Add($"{f:0.##}% of its iterations failed vs {of:0.##}%" + (mode.Succeeded.Select(r => r.Figures?.TopError).FirstOrDefault(e => e is not null) is { } why ? $" ({why})" : ""));

        double? tp = mode.Median(Figure.Throughput), otherTp = other.Median(Figure.Throughput);
        if (tp is { } t && otherTp is { } ot && ot > 0 && t / ot < tol.ThroughputRatio && !Overlap(other.Of(Figure.Throughput), mode.Of(Figure.Throughput)))
            findings.Add($"its throughput was {t / ot:0.##}× {Possessive(other.Server)} ({t:N0} vs {ot:N0} {mode.ThroughputUnit})");

        if (!fewSamples)
            foreach (var figure in new[] { Figure.P99, Figure.P50, Figure.Max })
            {
                double? p = mode.Median(figure), op = other.Median(figure);
                if (p is { } a && op is { } b && a >= tol.LatencyFloorMs && a > b * tol.LatencyRatio && !Overlap(mode.Of(figure), other.Of(figure)))
                    findings.Add($"its {figure.Title.Replace(" latency", "")} was {Ratio(a, b)} {Possessive(other.Server)} ({Ms(a)} vs {Ms(b)}{Range(mode, other, figure)})");
            }

        return new(mode.Clients, findings.FirstOrDefault(), fewSamples) { Findings = findings };
    }

    /// <summary>Where the first server cost more than the second: threads and memory per client, CPU per delivery.
    /// Costs are not shortfalls (a server may spend more and still serve as well), so they are told apart.</summary>
    public static IReadOnlyList<string> Costs(PointSummary mode, PointSummary other, VerdictTolerances tol)
    {
        var costs = new List<string>();
        foreach (var figure in new[] { Figure.Threads, Figure.RssPerClient, Figure.CpuPerDelivery })
        {
            double? a = mode.Median(figure), b = other.Median(figure);
            if (a is { } x && b is { } y && y > 0 && x / y >= tol.CostRatio)
                costs.Add($"{CellText.Number(x, figure)} {figure.ShortName} vs {CellText.Number(y, figure)}");
        }
        return costs;
    }

    private static string Range(PointSummary a, PointSummary b, Figure figure) =>
        a.Of(figure) is { HasRange: true } ra && b.Of(figure) is { HasRange: true } rb
            ? $"; ranges {Ms(ra.Min)}–{Ms(ra.Max)} and {Ms(rb.Min)}–{Ms(rb.Max)} over {ra.Count} runs"
            : "";

    private static double Samples(PointSummary p) =>
        Spread.Of(p.Succeeded.Where(r => r.Figures is not null).Select(r => (double)r.Figures!.LatencySamples))?.Median ?? 0;

    /// <summary>With repeats on both sides, a gap whose ranges overlap (the higher side's best run is no worse than
    /// the lower side's worst) is run-to-run noise, not a finding.</summary>
    private static bool Overlap(Spread? higher, Spread? lower) =>
        higher is { Count: > 1 } h && lower is { Count: > 1 } l && h.Min <= l.Max;

    /// <summary>"async's", "threads'".</summary>
    public static string Possessive(string noun) => noun.EndsWith('s') ? noun + "'" : noun + "'s";

    private static string Ratio(double a, double b) => b <= 0 ? "far above" : $"{a / b:0.#}×";

    public static string Ms(double ms) => ms >= 100 ? $"{ms:N0} ms" : ms >= 10 ? $"{ms:0.#} ms" : $"{ms:0.##} ms";
}
