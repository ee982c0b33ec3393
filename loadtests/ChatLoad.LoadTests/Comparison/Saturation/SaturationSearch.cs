namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Runs one saturation search: probes up the rate ladder, then bisections, then repeats at the rate found (see
/// <see cref="SaturationSearchSpec"/>). Every probe is a fresh load-generator run, bounded like any rung; the number
/// of probes is bounded by the spec. After a probe that missed, the server is replaced by a fresh one: an overloaded
/// server's backlog (queued lines, a grown heap, senders blocked on full sockets) would otherwise colour the next,
/// lower probe — measured here: a rate that held at 8.6 ms p99 missed at 711 ms right after an overload.
/// </summary>
internal sealed class SaturationSearch(RungRunner rungs, int confirmRepeats, Action<RungOutcome> report,
    Func<RunningServer, Task<RunningServer?>> freshServer)
{
    /// <summary>Two rates closer than this ratio are the same rate to the search: bisecting further would only
    /// measure noise. Default 1.1 (10%).</summary>
    public const double Resolution = 1.1;

    /// <summary>The server the search ended on (the caller stops it); null when a replacement did not start.</summary>
    public RunningServer? Server { get; private set; }

    public async Task<IReadOnlyList<RungOutcome>> RunAsync(PlannedRun run, RunningServer server, Func<bool> shouldStop, CancellationToken ct)
    {
        Server = server;
        var spec = run.Rung.Search!;
        var outcomes = new List<RungOutcome>();
        double? held = null, missed = null;
        double rate = spec.StartRate;
        int probe = 0, bisections = 0;
        while (probe < spec.MaxProbes && !shouldStop() && Server is { IsAlive: true })
        {
            var outcome = await RunOnceAsync(run, rate, ++probe, RunPhase.Probe, ct);
            outcomes.Add(outcome);
            var (verdict, _) = ProbeJudgement.Of(outcome, spec);
            if (verdict == ProbeVerdict.Missed && !await ReplaceServerAsync()) break;
            // A miss is tried once more before it counts: on a shared machine one probe can catch a neighbour's
            // burst, and a single hiccup must not decide a model's limit. The point's table shows both runs.
            if (verdict == ProbeVerdict.Missed && spec.RetryMisses && !shouldStop())
            {
                var retry = await RunOnceAsync(run, rate, ++probe, RunPhase.Probe, ct);
                outcomes.Add(retry);
                verdict = ProbeJudgement.Of(retry, spec).Verdict;
                if (verdict == ProbeVerdict.Missed && !await ReplaceServerAsync()) break;
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

        if (held is { } found)
        {
            probe = await ConfirmAsync(run, found, probe, outcomes, shouldStop, ct);
            // A rate that held in fewer than half its runs is the server's edge, not a sustainable level: the
            // next lower rate that held is confirmed too (once; the point then rests on it, see SaturationPoint).
            if (!HeldInMost(outcomes, found, spec)
                && outcomes.Where(o => ProbeJudgement.Of(o, spec).Verdict == ProbeVerdict.Held && o.Rung.Rate < found)
                       .Select(o => o.Rung.Rate).Max() is { } lower)
                await ConfirmAsync(run, lower, probe, outcomes, shouldStop, ct);
        }
        return outcomes;
    }

    /// <summary>Runs <paramref name="rate"/> until it has as many runs as the plan's confirmations. Numbered after
    /// the probes, so every run of the search has its own number (and report folder).</summary>
    private async Task<int> ConfirmAsync(PlannedRun run, double rate, int number, List<RungOutcome> outcomes, Func<bool> shouldStop, CancellationToken ct)
    {
        int have = outcomes.Count(o => o.Rung.Rate == rate);
        for (int repeat = have + 1; repeat <= confirmRepeats && Server is { IsAlive: true } && !shouldStop(); repeat++)
        {
            var outcome = await RunOnceAsync(run, rate, ++number, RunPhase.Confirm, ct);
            outcomes.Add(outcome);
            if (ProbeJudgement.Of(outcome, run.Rung.Search!).Verdict == ProbeVerdict.Missed && !await ReplaceServerAsync()) break;
        }
        return number;
    }

    /// <summary>Stops the current server and starts a fresh one; false when it did not come up (the search ends).</summary>
    private async Task<bool> ReplaceServerAsync()
    {
        Server = Server is null ? null : await freshServer(Server);
        return Server is not null;
    }

    private static bool HeldInMost(IEnumerable<RungOutcome> outcomes, double rate, SaturationSearchSpec spec)
    {
        var atRate = outcomes.Where(o => o.Rung.Rate == rate).ToArray();
        return atRate.Count(o => ProbeJudgement.Of(o, spec).Verdict == ProbeVerdict.Held) * 2 >= atRate.Length;
    }

    private async Task<RungOutcome> RunOnceAsync(PlannedRun run, double rate, int number, RunPhase phase, CancellationToken ct)
    {
        var server = Server!;
        var outcome = ComparisonRunner.WithServerDeath(
            await rungs.RunAsync(run with { Rung = run.Rung.AtRate(rate), Repeat = number }, server, ct) with { Phase = phase }, server);
        report(outcome);
        return outcome;
    }
}
