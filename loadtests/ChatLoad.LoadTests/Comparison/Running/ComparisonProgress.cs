namespace ChatLoad.LoadTests.Comparison;

/// <summary>One console line per finished run: where the comparison is, how long it has taken, about how long is
/// left (the plan's estimate for the runs still to come), and the run's headline figures or its failure.</summary>
internal sealed class ComparisonProgress(ComparisonPlan plan, TimeProvider time, TextWriter log)
{
    private readonly long _started = time.GetTimestamp();
    private readonly long _estimate = plan.Estimate.Ticks;
    private readonly double _meanTicks = plan.Estimate.Ticks / (double)Math.Max(1, plan.RunCount);
    private int _done;

    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    public void Report(RungOutcome o)
    {
        _done++;
        var left = TimeSpan.FromTicks(Math.Max(0, _estimate - (long)(_done * _meanTicks)));
        string phase = o.Phase switch { RunPhase.Probe => " probe", RunPhase.Confirm => " repeat", _ => "" };
        string what = $"{o.Server,-7} {o.Rung.Label}{phase}{(plan.Repeat > 1 || o.Phase != RunPhase.Measure ? $" #{o.Repeat}" : "")}";
        string verdict = o.Rung.Search is { } spec ? $" → {ProbeJudgement.Of(o, spec).Verdict.ToString().ToLowerInvariant()}" : "";
        string result = (o.Succeeded ? Brief(o.Figures) : o.Skipped ? o.Failure! : $"FAILED: {o.Failure}") + verdict;
        log.WriteLine($"[{_done}/~{plan.RunCount} {PlanPrinter.Format(Elapsed)}, ~{PlanPrinter.Format(left)} left] {what}: {result}");
    }

    private static string Brief(RungFigures? f)
    {
        if (f is null) return "ok";
        var parts = new List<string> { $"{f.Throughput:N0} {f.ThroughputUnit}" };
        if (f.P99Ms is { } p99) parts.Add($"p99 {p99:0.##} ms");
        if (f.LossPercent is { } loss) parts.Add($"loss {loss:0.##}%");
        if (f.ServerThreads is { } t) parts.Add($"{t:N0} threads");
        if (f.ServerRssMb is { } rss) parts.Add($"{rss:N0} MB");
        return string.Join(", ", parts);
    }
}
