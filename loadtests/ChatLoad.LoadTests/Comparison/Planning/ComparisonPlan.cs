namespace ChatLoad.LoadTests.Comparison;

/// <summary>What will run, in order: per mode, per scenario, each rung up its ladder, each repeat.</summary>
public sealed record ComparisonPlan(ComparisonPreset Preset, IReadOnlyList<string> Modes, IReadOnlyList<RungSpec> Rungs, int Repeat)
{
    public IEnumerable<string> Scenarios => Rungs.Select(r => r.Scenario).Distinct();

    public IEnumerable<PlannedRun> Runs()
    {
        foreach (var mode in Modes)
            foreach (var rung in Rungs)
                for (int repeat = 1; repeat <= Repeat; repeat++)
                    yield return new PlannedRun(mode, rung, repeat);
    }

    public int RunCount => Modes.Count * Rungs.Count * Repeat;

    public int MaxClients => Rungs.Count == 0 ? 0 : Rungs.Max(r => r.Clients);

    /// <summary>Estimated wall time of the whole comparison (see <see cref="RunTimeEstimate"/>).</summary>
    public TimeSpan Estimate =>
        Modes.Count * Scenarios.Count() * RunTimeEstimate.ServerLifetimeOverhead
        + TimeSpan.FromTicks(Runs().Sum(r => RunTimeEstimate.ForRung(r.Rung).Ticks));
}
