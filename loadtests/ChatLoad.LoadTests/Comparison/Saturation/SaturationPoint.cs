namespace ChatLoad.LoadTests.Comparison;

/// <summary>Why a search stopped where it did: what bounds the rate it reports.</summary>
public enum SaturationBound
{
    /// <summary>A higher rate missed the service level: the rate found is the server's limit (to the search's resolution).</summary>
    ServerLimit,

    /// <summary>The generator saturated before the server missed: the server sustains at least the rate found.</summary>
    GeneratorLimit,

    /// <summary>The highest rate tried still held: at least that rate.</summary>
    SearchCap,

    /// <summary>Even the first rate missed the service level: the limit is below it.</summary>
    BelowFirstRate,

    /// <summary>No probe ran (the server did not start, or the run was cut short).</summary>
    NotRun,
}

/// <summary>
/// One server's highest sustainable rate at one client count: the search's probes, the rate found, why the search
/// stopped there, and the runs at that rate (the first probe that held it plus its confirmations), whose figures'
/// median and min–max the report shows. Computed from the outcomes alone, so a saved comparison re-renders the same.
/// </summary>
public sealed record SaturationPoint(string Scenario, string Server, int Clients, SaturationSearchSpec Spec,
    IReadOnlyList<RungOutcome> Probes, IReadOnlyList<RungOutcome> AtRate)
{
    /// <summary>The highest offered rate that held (messages/s sent), or null when none did.</summary>
    public double? Rate { get; init; }

    public SaturationBound Bound { get; init; }

    /// <summary>Why the next rate up failed, or why the search stopped ("p99 81 ms over the 50 ms SLO at 8,000/s").</summary>
    public string StopReason { get; init; } = "";

    /// <summary>Runs at <see cref="Rate"/> that held the service level, of those that ran.</summary>
    public int HeldCount => AtRate.Count(r => ProbeJudgement.Of(r, Spec).Verdict == ProbeVerdict.Held);

    /// <summary>Held in at least half of its runs: a point whose runs mostly missed is reported as the server's edge,
    /// not as a level it sustains.</summary>
    public bool Confirmed => Rate is not null && HeldCount * 2 >= AtRate.Count;

    /// <summary>Deliveries per second at the rate found, as offered (rate × receivers per message).</summary>
    public double? OfferedDeliveries => Rate * Spec.DeliveriesPerMessage;

    /// <summary>The point as a summary of its runs at the rate found, for medians and spreads of every figure.</summary>
    public PointSummary Summary => new(Scenario, Server, Clients, AtRate);

    /// <summary>"≥ " where the true limit is above what was measured.</summary>
    public string Qualifier => Bound is SaturationBound.GeneratorLimit or SaturationBound.SearchCap ? "≥ " : "";

    public static SaturationPoint From(string scenario, string server, int clients, SaturationSearchSpec spec, IReadOnlyList<RungOutcome> runs)
    {
        var probes = runs.Where(r => r.Phase == RunPhase.Probe && !r.Skipped).OrderBy(r => r.Repeat).ToArray();
        if (probes.Length == 0)
            return new SaturationPoint(scenario, server, clients, spec, [], [])
            {
                Bound = SaturationBound.NotRun,
                StopReason = runs.FirstOrDefault()?.Failure ?? "not run",
            };

        var judged = probes.Select(p => (Probe: p, Rate: p.Rung.Rate ?? 0, J: ProbeJudgement.Of(p, spec))).ToArray();
        // A rate held when any of its probes held (a miss is retried once: see SaturationSearchSpec.RetryMisses).
        var held = judged.Where(j => j.J.Verdict == ProbeVerdict.Held).ToArray();
        // The point is the highest rate that held in at least half of its runs (probes and repeats); a higher one
        // that held in fewer is the server's edge, named as the reason. With none such, the highest held.
        var runsAt = runs.Where(r => !r.Skipped && r.Phase != RunPhase.Measure).ToLookup(r => r.Rung.Rate ?? 0);
        bool HeldInMost(double r) => runsAt[r].Count(x => ProbeJudgement.Of(x, spec).Verdict == ProbeVerdict.Held) * 2 >= runsAt[r].Count();
        var heldRates = held.Select(h => h.Rate).Distinct().OrderByDescending(r => r).ToArray();
        double? edge = null;
        double? rate = heldRates.Length == 0 ? null : heldRates.FirstOrDefault(HeldInMost, double.NaN) is var firm && !double.IsNaN(firm) ? firm : heldRates[0];
        if (rate is { } chosen && heldRates[0] > chosen) edge = heldRates[0];
        var generatorBound = judged.FirstOrDefault(j => j.J.Verdict == ProbeVerdict.GeneratorBound);
        var missedAbove = judged.Where(j => j.J.Verdict == ProbeVerdict.Missed && (rate is null || j.Rate > rate) && held.All(h => h.Rate != j.Rate))
            .OrderBy(j => j.Rate).ThenByDescending(j => j.Probe.Repeat).FirstOrDefault();

        SaturationBound bound;
        string reason;
        if (generatorBound.Probe is not null && (missedAbove.Probe is null || generatorBound.Rate <= missedAbove.Rate))
        {
            bound = SaturationBound.GeneratorLimit;
            reason = $"at {generatorBound.Rate:N0}/s {generatorBound.J.Reason}";
        }
        else if (edge is { } e)
        {
            bound = SaturationBound.ServerLimit;
            int heldThere = runsAt[e].Count(x => ProbeJudgement.Of(x, spec).Verdict == ProbeVerdict.Held);
            reason = $"at {e:N0}/s it held in only {heldThere} of {runsAt[e].Count()} runs";
        }
        else if (missedAbove.Probe is not null)
        {
            bound = rate is null ? SaturationBound.BelowFirstRate : SaturationBound.ServerLimit;
            reason = $"at {missedAbove.Rate:N0}/s {missedAbove.J.Reason}";
        }
        else
        {
            bound = SaturationBound.SearchCap;
            reason = $"the highest rate tried ({judged.Max(j => j.Rate):N0}/s) held";
        }

        var atRate = rate is { } r
            ? runs.Where(x => !x.Skipped && (x.Phase == RunPhase.Confirm || x.Phase == RunPhase.Probe) && x.Rung.Rate == r).ToArray()
            : [];
        return new SaturationPoint(scenario, server, clients, spec, probes, atRate) { Rate = rate, Bound = bound, StopReason = reason };
    }
}

/// <summary>A scenario's saturation points: every server over the client counts searched.</summary>
public sealed record SaturationTable(string Scenario, IReadOnlyList<string> Servers, IReadOnlyList<int> Clients, IReadOnlyList<SaturationPoint> Points)
{
    public SaturationPoint? Point(string server, int clients) => Points.FirstOrDefault(p => p.Server == server && p.Clients == clients);

    public static SaturationTable? From(string scenario, IReadOnlyList<string> servers, IEnumerable<RungOutcome> outcomes)
    {
        var mine = outcomes.Where(o => o.Rung.Scenario == scenario && o.Rung.Search is not null).ToArray();
        if (mine.Length == 0) return null;
        var points = mine.GroupBy(o => (o.Server, o.Rung.Clients))
            .Select(g => SaturationPoint.From(scenario, g.Key.Server, g.Key.Clients, g.First().Rung.Search!, g.ToArray()))
            .ToArray();
        return new SaturationTable(scenario, servers, mine.Select(o => o.Rung.Clients).Distinct().Order().ToArray(), points);
    }
}
