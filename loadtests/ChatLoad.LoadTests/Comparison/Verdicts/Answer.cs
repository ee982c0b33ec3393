using System.Text;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The answer at the top of the report, in plain words: where threads matched async, where and how they fell
/// behind (which figure, by how much, with the spread), where each hit a wall and why, and what each cost per
/// client. Every clause is there because a figure put it there; points whose load generator saturated are left out
/// of the comparison and said to be.
/// </summary>
public sealed record Answer(string Headline, IReadOnlyList<string> Clauses)
{
    /// <summary>Highest client count at which threads' sustainable rate matched async's (null if never, or no search ran).</summary>
    public int? MatchedUpTo { get; init; }

    /// <summary>First client count at which threads' sustainable rate fell behind async's.</summary>
    public int? FellBehindFrom { get; init; }

    /// <summary>Per server, the lowest client count at which it failed a plain measurement (its wall), if any.</summary>
    public IReadOnlyDictionary<string, int> WallAt { get; init; } = new Dictionary<string, int>();

    public string Text => Headline + (Clauses.Count == 0 ? "" : " " + string.Join(" ", Clauses));

    public static Answer For(ComparisonResults results, VerdictTolerances? tolerances = null)
    {
        var tol = tolerances ?? VerdictTolerances.Default;
        var (threads, async) = results.OurPair;
        if (threads is null || async is null)
            return new Answer("Only one of our two models ran, so there is nothing to weigh: see each scenario below.", []);

        var clauses = new List<string>();
        int? matchedUpTo = null, behindFrom = null, undecidedAt = null;
        string? behindText = null;
        foreach (var scenario in results.Scenarios())
        {
            if (results.Saturation(scenario) is not { } table) continue;
            foreach (int clients in table.Clients)
            {
                var t = table.Point(threads, clients);
                var a = table.Point(async, clients);
                if (t is null || a is null || t.Bound == SaturationBound.NotRun || a.Bound == SaturationBound.NotRun) continue;
                clauses.Add(SaturationClause(scenario, clients, t, a));
                var (matched, ratio) = Matched(t, a, tol);
                if (matched is null)
                {
                    if (t.Rate is not null && behindFrom is null) undecidedAt ??= clients;
                    continue;
                }
                if (matched == true && behindFrom is null) matchedUpTo = clients;
                if (matched == false && behindFrom is null)
                {
                    behindFrom = clients;
                    behindText = t.Rate is null
                        ? $"at {clients:N0} busy clients it did not sustain even the first rate tried ({t.Spec.StartRate * t.Spec.DeliveriesPerMessage:N0} deliveries/s), where async sustained {a.Qualifier}{a.OfferedDeliveries:N0}"
                        : $"at {clients:N0} busy clients it sustains {(a.Qualifier.Length > 0 ? "at most " : "")}{ratio:0.##}× the load async does within the same latency target";
                }
            }
        }

        var walls = new Dictionary<string, int>();
        foreach (var scenario in results.Scenarios())
        {
            var table = results.Table(scenario);
            foreach (var server in new[] { threads, async })
            {
                var failed = table.ForServer(server).FirstOrDefault(p => p.IsFailure);
                if (failed is null) continue;
                if (!walls.TryGetValue(server, out int w) || failed.Clients < w) walls[server] = failed.Clients;
                string other = server == threads ? async : threads;
                var held = table.Point(other, failed.Clients) is { IsFailure: false, SucceededCount: > 0 } o ? o : null;
                string ceiling = results.ServerProcesses.FirstOrDefault(p => p.Server == server && p.Scenario == scenario && p.CeilingLine is not null)?.CeilingLine is { } line
                    && failed.FirstFailure?.Failure?.Contains("server full", StringComparison.OrdinalIgnoreCase) == true
                    ? $" — the server refused them at its connection ceiling ({Ceiling(line, server)})" : "";
                clauses.Add($"{Cap(server)} hit a wall at {failed.Clients:N0} clients in {scenario}: {failed.FirstFailure?.Failure}{ceiling}" +
                            (held is null ? "." : $"; {other} held all {failed.Clients:N0} there with {Footprint(held)}."));
            }
            var verdict = ScenarioVerdict.For(table, [threads, async], tol);
            if (verdict.FellBehindAt is { } at && table.Point(threads, at) is { } tp && table.Point(async, at) is { } ap
                && PointComparison.Of(tp, ap, tol) is { Shortfall: { } why })
                clauses.Add($"In {scenario} at {at:N0} clients threads fell behind: {why}.");
            if (verdict.OtherFellBehindAt is { } at2 && table.Point(async, at2) is { } ap2 && table.Point(threads, at2) is { } tp2
                && PointComparison.Of(ap2, tp2, tol) is { Shortfall: { } why2 })
                clauses.Add($"In {scenario} at {at2:N0} clients async fell behind: {why2}.");
        }

        if (CostClause(results, threads, async) is { } cost) clauses.Add(cost);

        string headline = HeadlineFor(threads, matchedUpTo, behindText, undecidedAt, walls, walls.ContainsKey(async));
        return new Answer(headline, clauses) { MatchedUpTo = matchedUpTo, FellBehindFrom = behindFrom, WallAt = walls };
    }

    /// <summary>True when threads' rate is within the tolerance of async's, false when it fell short, null when the
    /// two cannot be compared (neither rate found, or threads' rate below async's is only a lower bound).</summary>
    private static (bool? Matched, double Ratio) Matched(SaturationPoint t, SaturationPoint a, VerdictTolerances tol)
    {
        if (t.Rate is null && a.Rate is null) return (null, 1);
        double tr = t.Rate ?? 0, ar = a.Rate ?? 0;
        if (ar <= 0) return (true, double.PositiveInfinity);
        double ratio = tr / ar;
        if (ratio >= tol.SaturationRatio) return (true, ratio);
        // Below async, but only a lower bound: the generator saturated against threads first (its cost per delivery
        // depends on how the server writes: a line per packet costs it more than a coalesced write) or the search
        // stopped. Threads' real limit is unknown, so this point decides neither "matched" nor "fell behind".
        if (t.Bound is SaturationBound.GeneratorLimit or SaturationBound.SearchCap) return (null, ratio);
        return (false, ratio);
    }

    private static string SaturationClause(string scenario, int clients, SaturationPoint t, SaturationPoint a)
    {
        var text = new StringBuilder($"In {scenario} at {clients:N0} clients, ");
        text.Append($"threads sustained {Rate(t)} and async {Rate(a)} within p99 ≤ {PointComparison.Ms(t.Spec.SloP99Ms)} with nothing lost");
        if (t.Rate is { } tr && a.Rate is { } ar && ar > 0 && tr != ar)
            text.Append($" (threads {tr / ar:0.##}× async)");
        text.Append(": ").Append($"threads {Why(t)}; async {Why(a)}.");
        return text.ToString();
    }

    /// <summary>"≥ 72,000 deliveries/s (held in 3 of 3 runs, p99 4.1 ms, 3.2–5.0)".</summary>
    public static string Rate(SaturationPoint p)
    {
        if (p.Rate is null) return p.Bound == SaturationBound.BelowFirstRate ? $"less than {p.Spec.StartRate * p.Spec.DeliveriesPerMessage:N0} deliveries/s" : "nothing measurable";
        var summary = p.Summary;
        string spread = summary.Of(Figure.P99) is { } p99 ? $", p99 {CellText.Of(p99, Figure.P99)} ms" : "";
        // A rate that held in fewer than half of its runs is this server's edge, not a level it sustains: said so.
        string edge = p.Confirmed ? "" : " — at its edge, it missed in the others";
        return $"{p.Qualifier}{p.OfferedDeliveries:N0} deliveries/s ({p.Rate:N0} messages/s; held in {p.HeldCount} of {p.AtRate.Count} run{(p.AtRate.Count == 1 ? "" : "s")}{edge}{spread})";
    }

    /// <summary>Why the search stopped where it did, for a sentence.</summary>
    public static string Why(SaturationPoint p) => p.Bound switch
    {
        SaturationBound.ServerLimit => $"missed it one step up ({p.StopReason})",
        SaturationBound.BelowFirstRate => $"missed it at the first rate ({p.StopReason})",
        SaturationBound.GeneratorLimit => $"was not pushed to its limit: {p.StopReason}, so that probe is left out and this rate is a lower bound (the server may sustain more)",
        SaturationBound.SearchCap => $"held up to the search's cap ({p.StopReason})",
        _ => "was not measured",
    };

    private static string HeadlineFor(string threads, int? matchedUpTo, string? behind, int? undecidedAt, IReadOnlyDictionary<string, int> walls, bool asyncWall)
    {
        var text = new StringBuilder("Threads or async? On this machine ");
        int? wall = walls.TryGetValue(threads, out int w) ? w : null;
        // A lower bound below async's rate, with nothing decided before it: say what is unknown rather than "kept up".
        string? unmeasured = undecidedAt is { } u && (matchedUpTo is null || matchedUpTo < u)
            ? $"at {u:N0} busy clients thread-per-connection's limit was not measured (the load generator saturated against it below the load async sustained: see below)"
            : null;
        if (behind is null && wall is null && unmeasured is null)
        {
            text.Append(matchedUpTo is { } m
                ? $"thread-per-connection kept up with async wherever both were measured (up to {m:N0} clients at full load)"
                : "thread-per-connection and async could not be told apart by load");
            text.Append("; where they differ is what each client costs (below).");
            return text.ToString();
        }
        var parts = new List<string>();
        if (matchedUpTo is { } upTo)
            parts.Add($"thread-per-connection is good enough up to {upTo:N0} busy clients (it sustained as much load as async there)");
        if (behind is not null)
            parts.Add($"{(matchedUpTo is null ? "thread-per-connection fell behind from the first client count measured: " : "")}{behind}");
        if (unmeasured is not null)
            parts.Add(unmeasured);
        else if (behind is null && matchedUpTo is null)
            parts.Add("thread-per-connection kept up with async under load");
        if (wall is { } at)
            parts.Add($"at {at:N0} clients it hits a wall {(asyncWall ? "(async meets one too: see below)" : "that async passes")}");
        text.Append(string.Join("; ", parts)).Append(". Beyond that, async.");
        return text.ToString();
    }

    /// <summary>What each model cost per client at the largest point both served (plain measurements first, then
    /// the saturation points), and what async cost where threads could not go.</summary>
    private static string? CostClause(ComparisonResults results, string threads, string async)
    {
        PointSummary? bestT = null, bestA = null;
        foreach (var scenario in results.Scenarios())
        {
            var table = results.Table(scenario);
            foreach (int c in table.Clients.Reverse())
                if (table.Point(threads, c) is { IsFailure: false, SucceededCount: > 0 } t && table.Point(async, c) is { IsFailure: false, SucceededCount: > 0 } a
                    && (bestT is null || c > bestT.Clients) && t.Median(Figure.RssPerClient) is not null && a.Median(Figure.RssPerClient) is not null)
                    (bestT, bestA) = (t, a);
            if (results.Saturation(scenario) is { } sat)
                foreach (int c in sat.Clients.Reverse())
                    if (sat.Point(threads, c)?.Summary is { SucceededCount: > 0 } t && sat.Point(async, c)?.Summary is { SucceededCount: > 0 } a
                        && (bestT is null || c > bestT.Clients) && t.Median(Figure.RssPerClient) is not null && a.Median(Figure.RssPerClient) is not null)
                        (bestT, bestA) = (t, a);
        }
        var text = new StringBuilder();
        if (bestT is not null && bestA is not null)
            text.Append($"Cost per client at {bestT.Clients:N0} clients ({bestT.Scenario}): threads {PerClient(bestT)}, async {PerClient(bestA)}.");

        // Where threads hit its wall and async held, what async spent there.
        var beyond = results.Scenarios().Select(results.Table)
            .SelectMany(t => t.Clients.Select(c => (Table: t, Clients: c)))
            .Where(x => x.Table.Point(threads, x.Clients) is { IsFailure: true } && x.Table.Point(async, x.Clients) is { IsFailure: false, SucceededCount: > 0 })
            .OrderByDescending(x => x.Clients).FirstOrDefault();
        if (beyond.Table is not null && beyond.Table.Point(async, beyond.Clients) is { } held)
            text.Append($"{(text.Length > 0 ? " " : "")}Async held {beyond.Clients:N0} {beyond.Table.Scenario} clients with {PerClient(held)}.");
        return text.Length == 0 ? null : text.ToString();
    }

    private static string PerClient(PointSummary p)
    {
        var parts = new List<string>();
        if (p.Median(Figure.Threads) is { } t) parts.Add($"{t:N0} OS threads");
        if (p.Median(Figure.RssPerClient) is { } kb) parts.Add($"{CellText.Of(p.Of(Figure.RssPerClient), Figure.RssPerClient)} KB RSS per client");
        if (p.Median(Figure.Rss) is { } mb) parts.Add($"{mb:N0} MB RSS in all");
        return parts.Count == 0 ? "no server figures" : string.Join(", ", parts);
    }

    private static string Footprint(PointSummary p) =>
        p.Median(Figure.Threads) is { } t && p.Median(Figure.Rss) is { } r ? $"{t:N0} threads and {r:N0} MB RSS" : "its figures below";

    /// <summary>The server's own words about its ceiling, shortened to the part that names it.</summary>
    private static string Ceiling(string line, string server)
    {
        int at = line.IndexOf("Connection ceiling", StringComparison.OrdinalIgnoreCase);
        string text = at >= 0 ? line[at..] : line;
        return text.Length > 220 ? text[..220] + "…" : text;
    }

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
