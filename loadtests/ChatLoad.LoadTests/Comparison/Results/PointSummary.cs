namespace ChatLoad.LoadTests.Comparison;

/// <summary>All repeats of one (scenario, mode, client count) point, aggregated.</summary>
public sealed record PointSummary(string Scenario, string Server, int Clients, IReadOnlyList<RungOutcome> Runs)
{
    public IEnumerable<RungOutcome> Succeeded => Runs.Where(r => r.Succeeded);
    public IEnumerable<RungOutcome> Failed => Runs.Where(r => !r.Succeeded && !r.Skipped);

    public int SucceededCount => Succeeded.Count();
    public int FailedCount => Failed.Count();
    public bool AllSkipped => Runs.All(r => r.Skipped);

    /// <summary>A point counts as failed when most of its repeats failed (one bad repeat of three is noise,
    /// shown in the table, not a verdict).</summary>
    public bool IsFailure => FailedCount > 0 && FailedCount * 2 >= Runs.Count(r => !r.Skipped);

    public RungOutcome? FirstFailure => Failed.FirstOrDefault();

    /// <summary>The load generator saturated (see <see cref="RungFigures.GeneratorSaturated"/>) in one of the repeats:
    /// the point's figures may be the generator's own, so verdicts leave it out and the tables mark it.</summary>
    public bool GeneratorSaturated => Succeeded.Any(r => r.Figures is { GeneratorSaturated: true });

    /// <summary>The generator warned of something short of saturation (late iterations, late timers) in a repeat.</summary>
    public bool GeneratorWarned => Succeeded.Any(r => r.Figures is { GeneratorWarnings.Count: > 0 });

    /// <summary>Median and spread over the repeats that succeeded; with <paramref name="includeFailed"/>, also over
    /// failed repeats that still produced figures (a broken threshold, refused clients) — for a failed point's table
    /// row, which is marked failed; never for charts or verdicts.</summary>
    public Spread? Of(Figure figure, bool includeFailed = false) =>
        Spread.Of((includeFailed ? Runs.Where(r => !r.Skipped) : Succeeded)
            .Select(r => r.Figures is { } f ? figure.Read(f) : null).Where(v => v.HasValue).Select(v => v!.Value));

    public double? Median(Figure figure) => Of(figure)?.Median;

    public string ThroughputUnit => Runs.Select(r => r.Figures?.ThroughputUnit).FirstOrDefault(u => u is not null) ?? "iterations/s";
}

/// <summary>One scenario's points, every mode over the ladder's client counts.</summary>
public sealed record ScenarioTable(string Scenario, IReadOnlyList<string> Servers, IReadOnlyList<int> Clients, IReadOnlyList<PointSummary> Points)
{
    public PointSummary? Point(string mode, int clients) => Points.FirstOrDefault(p => p.Server == mode && p.Clients == clients);

    public IEnumerable<PointSummary> ForServer(string mode) => Points.Where(p => p.Server == mode).OrderBy(p => p.Clients);

    public static ScenarioTable From(string scenario, IReadOnlyList<string> modes, IEnumerable<RungOutcome> outcomes)
    {
        var mine = outcomes.Where(o => o.Rung.Scenario == scenario).ToArray();
        var points = mine.GroupBy(o => (o.Server, o.Rung.Clients))
            .Select(g => new PointSummary(scenario, g.Key.Server, g.Key.Clients, g.OrderBy(o => o.Repeat).ToArray()))
            .ToArray();
        return new ScenarioTable(scenario, modes, mine.Select(o => o.Rung.Clients).Distinct().Order().ToArray(), points);
    }
}
