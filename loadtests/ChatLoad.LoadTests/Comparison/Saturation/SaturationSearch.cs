namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Runs one saturation search on a running server: probes up the rate ladder, then bisections, then repeats at the
/// rate found (see <see cref="SaturationSearchSpec"/>). Every probe is a fresh load-generator run, bounded like any
/// rung; the number of probes is bounded by the spec.
/// </summary>
internal sealed class SaturationSearch(RungRunner rungs, int confirmRepeats, Action<RungOutcome> report)
{
    /// <summary>Two rates closer than this ratio are the same rate to the search: bisecting further would only
    /// measure noise. Default 1.1 (10%).</summary>
    public const double Resolution = 1.1;

    public async Task<IReadOnlyList<RungOutcome>> RunAsync(PlannedRun run, RunningServer server, Func<bool> shouldStop, CancellationToken ct)
    {
        var spec = run.Rung.Search!;
        var outcomes = new List<RungOutcome>();
        double? held = null, missed = null;
        double rate = spec.StartRate;
        int probe = 0, bisections = 0;
        while (probe < spec.MaxProbes && !shouldStop() && server.IsAlive)
        {
            var outcome = await RunOnceAsync(run, rate, ++probe, RunPhase.Probe, server, ct);
            outcomes.Add(outcome);
            var (verdict, _) = ProbeJudgement.Of(outcome, spec);
            // A miss is tried once more before it counts: on a shared machine one probe can catch a neighbour's
            // burst, and a single hiccup must not decide a model's limit. The point's table shows both runs.
            if (verdict == ProbeVerdict.Missed && spec.RetryMisses && server.IsAlive && !shouldStop())
            {
                var retry = await RunOnceAsync(run, rate, ++probe, RunPhase.Probe, server, ct);
                outcomes.Add(retry);
                verdict = ProbeJudgement.Of(retry, spec).Verdict;
            }
            if (verdict == ProbeVerdict.GeneratorBound) break;
            if (verdict == ProbeVerdict.Held) held = rate; else missed = rate;

            if (missed is null)
            {
                if (rate >= spec.MaxRate) break;
                rate = Math.Min(spec.MaxRate, rate * spec.Factor);
                continue;
            }
            if (held is null || bisections >= spec.BisectSteps || missed / held <= Resolution) break;
            bisections++;
            rate = Math.Round(Math.Sqrt(held.Value * missed.Value)); // the midpoint on a log scale
        }

        if (held is { } found && !shouldStop() && server.IsAlive)
            // Numbered after the probes, so every run of the search has its own number (and report folder).
            for (int repeat = 2; repeat <= confirmRepeats && server.IsAlive && !shouldStop(); repeat++)
                outcomes.Add(await RunOnceAsync(run, found, ++probe, RunPhase.Confirm, server, ct));
        return outcomes;
    }

    private async Task<RungOutcome> RunOnceAsync(PlannedRun run, double rate, int number, RunPhase phase, RunningServer server, CancellationToken ct)
    {
        var outcome = await rungs.RunAsync(run with { Rung = run.Rung.AtRate(rate), Repeat = number }, server, ct) with { Phase = phase };
        report(outcome);
        return outcome;
    }
}
