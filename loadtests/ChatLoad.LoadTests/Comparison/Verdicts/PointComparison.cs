namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// One mode against the other at one client count: whether it kept up, and if not, the most telling way it fell
/// behind (loss first, then throughput, then p99 — the order a chat user would notice them).
/// </summary>
public sealed record PointComparison(int Clients, string? Shortfall, bool LatencyTooFewSamples = false)
{
    public bool Matched => Shortfall is null;

    /// <summary>How <paramref name="mode"/> fared against <paramref name="other"/> at this point; null when either
    /// lacks the figures to say (a failed point is the failure sentence's business, not this one's).</summary>
    public static PointComparison? Of(PointSummary mode, PointSummary other, VerdictTolerances tol)
    {
        if (mode.IsFailure || other.IsFailure || mode.SucceededCount == 0 || other.SucceededCount == 0) return null;

        double? loss = mode.Median(Figure.Loss), otherLoss = other.Median(Figure.Loss);
        if (loss is { } l && otherLoss is { } ol && l - ol > tol.LossPoints)
            return new(mode.Clients, $"it lost {l:0.##}% of messages vs {ol:0.##}%");

        double? tp = mode.Median(Figure.Throughput), otherTp = other.Median(Figure.Throughput);
        if (tp is { } t && otherTp is { } ot && ot > 0 && t / ot < tol.ThroughputRatio && !Overlap(other.Of(Figure.Throughput), mode.Of(Figure.Throughput)))
            return new(mode.Clients, $"its throughput was {t / ot:0.##}× {Possessive(other.Mode)} ({t:N0} vs {ot:N0} {mode.ThroughputUnit})");

        if (Math.Min(Samples(mode), Samples(other)) < tol.MinLatencySamples)
            return new(mode.Clients, null, LatencyTooFewSamples: true);
        double? p99 = mode.Median(Figure.P99), otherP99 = other.Median(Figure.P99);
        if (p99 is { } p && otherP99 is { } op && p >= tol.LatencyFloorMs && p > op * tol.LatencyRatio && !Overlap(mode.Of(Figure.P99), other.Of(Figure.P99)))
            return new(mode.Clients, $"its p99 was {Ratio(p, op)} {Possessive(other.Mode)} ({Ms(p)} vs {Ms(op)})" +
                (mode.GeneratorSaturated || other.GeneratorSaturated ? " — though the load generator fell behind its own schedule there, so part of that may be the generator's" : ""));

        return new(mode.Clients, null);
    }

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
