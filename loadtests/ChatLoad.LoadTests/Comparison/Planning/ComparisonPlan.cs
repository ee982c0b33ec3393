namespace ChatLoad.LoadTests.Comparison;

/// <summary>What will run, in order: per server, per scenario, each rung up its ladder, each repeat. Saturation-search
/// rungs run once each and expand into probes, then <see cref="ConfirmRepeats"/> runs at the rate found.</summary>
public sealed record ComparisonPlan(ComparisonPreset Preset, IReadOnlyList<string> Servers, IReadOnlyList<RungSpec> Rungs, int Repeat)
{
    /// <summary>Runs at each saturation point found (the probe that found it counts as the first): medians and
    /// min–max of the point's figures come from these.</summary>
    public int ConfirmRepeats { get; init; } = 1;

    public IEnumerable<string> Scenarios => Rungs.Select(r => r.Scenario).Distinct();

    public IEnumerable<PlannedRun> Runs()
    {
        foreach (var server in Servers)
            foreach (var rung in Rungs)
                for (int repeat = 1; repeat <= (rung.Search is null ? Repeat : 1); repeat++)
                    yield return new PlannedRun(server, rung, repeat);
    }

    /// <summary>Load-generator runs expected (a search counts its expected probes and confirmations).</summary>
    public int RunCount => Runs().Sum(RunsOf);

    public static int RunsOf(PlannedRun run, int confirmRepeats) =>
        run.Rung.Search is { } s ? s.ExpectedProbes + confirmRepeats - 1 : 1;

    private int RunsOf(PlannedRun run) => RunsOf(run, ConfirmRepeats);

    public int MaxClients => Rungs.Count == 0 ? 0 : Rungs.Max(r => r.Clients);

    /// <summary>Estimated wall time of the whole comparison (see <see cref="RunTimeEstimate"/>).</summary>
    public TimeSpan Estimate =>
        Servers.Count * Scenarios.Count() * RunTimeEstimate.ServerLifetimeOverhead
        + TimeSpan.FromTicks(Runs().Sum(r => RunTimeEstimate.ForRung(r.Rung).Ticks * RunsOf(r)));

    /// <summary>What the plan chose about repeats, in words (the report and the console say it).</summary>
    public string RepeatsDescription()
    {
        bool searches = Rungs.Any(r => r.Search is not null), plain = Rungs.Any(r => r.Search is null);
        var parts = new List<string>();
        if (searches) parts.Add($"each saturation point run {ConfirmRepeats} time{(ConfirmRepeats == 1 ? "" : "s")} (search probes once each)");
        if (plain) parts.Add($"other points {Repeat} time{(Repeat == 1 ? "" : "s")} each");
        return string.Join("; ", parts);
    }
}
