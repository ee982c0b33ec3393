namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Where a reference server beat ChatLoad in one scenario, figure by figure and by how much: at each client count
/// both ran, the reference server against the better of ChatLoad's modes on that figure. Gaps count only past the
/// same noise tolerances the verdicts use (and the ones below for memory and CPU), so a line here is a finding.
/// </summary>
public static class ReferenceStandings
{
    /// <summary>Ratio by which memory per client must differ to count. Default 1.5: RSS moves by a few MB between runs
    /// of one and the same point, which at a thousand clients is tens of percent of the per-client figure.</summary>
    public const double MemoryRatio = 1.5;

    /// <summary>Fewest clients at which memory per client is compared. Default 1,000: below that a runtime's own growth
    /// under the first load (heap, JIT) outweighs the clients' share (ChatLoad async measured 105 KB per client at 100
    /// idle clients and 13.5 KB at 2,500 in the same run).</summary>
    public const int MinClientsForMemory = 1_000;

    /// <summary>The scenario in which memory per client is a cost per client: in the others RSS grows with the traffic
    /// (buffers, queues), so the per-client quotient measures the traffic, not the clients.</summary>
    public const string MemoryScenario = "idle-hold";

    /// <summary>Ratio by which deliveries per server CPU-second must differ to count. Default 1.5, as memory.</summary>
    public const double EfficiencyRatio = 1.5;

    /// <summary>Least server CPU time in a rung (both sides) for deliveries per CPU-second to mean anything. Default
    /// 0.2 s: /proc counts CPU in 10 ms ticks, so below 20 ticks the quotient is rounding.</summary>
    public const double MinCpuSeconds = 0.2;

    /// <summary>One figure on which <see cref="Server"/> beat ChatLoad at <see cref="Clients"/>.</summary>
    public sealed record Win(string Server, int Clients, string Figure, double Theirs, double Ours, string OurMode, double Factor, string Unit);

    public static IReadOnlyList<Win> For(ScenarioTable table, VerdictTolerances? tolerances = null)
    {
        var tol = tolerances ?? VerdictTolerances.Default;
        var ours = table.Servers.Where(m => !ReferenceServers.IsReference(m)).ToArray();
        var wins = new List<Win>();
        foreach (var server in table.Servers.Where(ReferenceServers.IsReference))
            foreach (int clients in table.Clients)
            {
                if (table.Point(server, clients) is not { IsFailure: false, SucceededCount: > 0 } theirs) continue;
                var mine = ours.Select(m => table.Point(m, clients)).OfType<PointSummary>().Where(p => !p.IsFailure && p.SucceededCount > 0).ToArray();
                if (mine.Length == 0) continue;
                wins.AddRange(Compare(server, clients, theirs, mine, tol));
            }
        return wins;
    }

    private static IEnumerable<Win> Compare(string server, int clients, PointSummary theirs, PointSummary[] mine, VerdictTolerances tol)
    {
        // Throughput: open-model scenarios offer every server the same load, so only a real shortfall shows here.
        if (Best(mine, Figure.Throughput, higherIsBetter: true) is (string tMode, double t) && theirs.Median(Figure.Throughput) is { } tt && t < tt * tol.ThroughputRatio)
            yield return new Win(server, clients, "throughput", tt, t, tMode, tt / t, theirs.ThroughputUnit);

        if (Best(mine, Figure.P99, higherIsBetter: false) is (string pMode, double p) && theirs.Median(Figure.P99) is { } tp
            && p >= tol.LatencyFloorMs && p > tp * tol.LatencyRatio
            && Samples(theirs) >= tol.MinLatencySamples && Samples(mine.First(m => m.Server == pMode)) >= tol.MinLatencySamples)
            yield return new Win(server, clients, "p99 latency", tp, p, pMode, p / tp, "ms");

        if (theirs.Scenario == MemoryScenario && clients >= MinClientsForMemory && Best(mine, Figure.RssPerClient, higherIsBetter: false) is (string mMode, double m)
            && theirs.Median(Figure.RssPerClient) is { } tm && tm > 0 && m > tm * MemoryRatio)
            yield return new Win(server, clients, "memory per client", tm, m, mMode, m / tm, "KB");

        var efficiency = mine.Select(x => (x.Server, Value: Efficiency(x))).Where(x => x.Value is not null).OrderByDescending(x => x.Value).FirstOrDefault();
        if (efficiency.Value is { } e && Efficiency(theirs) is { } te && te > e * EfficiencyRatio)
            yield return new Win(server, clients, "deliveries per server CPU-second", te, e, efficiency.Server, te / e, "messages per CPU-second");
    }

    /// <summary>The best of ChatLoad's modes on a figure (mode and median), or null when none produced it.</summary>
    private static (string Server, double Value)? Best(PointSummary[] mine, Figure figure, bool higherIsBetter)
    {
        var values = mine.Select(p => (p.Server, Value: p.Median(figure))).Where(x => x.Value is > 0).Select(x => (x.Server, x.Value!.Value)).ToArray();
        if (values.Length == 0) return null;
        return higherIsBetter ? values.MaxBy(v => v.Item2) : values.MinBy(v => v.Item2);
    }

    /// <summary>Messages delivered per CPU-second of the server over the rung, both read the same way for every server
    /// (CPU from /proc): what one core's second of the server buys. Null where the scenario delivers nothing.</summary>
    private static double? Efficiency(PointSummary p) =>
        Spread.Of(p.Succeeded.Select(r => r.Figures).OfType<RungFigures>()
            .Where(f => f.Delivered is > 0 && f.ServerCpuSecondsFromProc is >= MinCpuSeconds)
            .Select(f => f.Delivered!.Value / f.ServerCpuSecondsFromProc!.Value))?.Median;

    private static double Samples(PointSummary p) =>
        Spread.Of(p.Succeeded.Where(r => r.Figures is not null).Select(r => (double)r.Figures!.LatencySamples))?.Median ?? 0;

    /// <summary>The wins grouped by server and figure, one sentence each, the largest gap first, with the reason the
    /// server gives for being ahead.</summary>
    public static IEnumerable<string> Sentences(IReadOnlyList<Win> wins, IReadOnlyList<ReferenceServerInfo> references)
    {
        foreach (var server in wins.GroupBy(w => w.Server))
        {
            var parts = server.GroupBy(w => w.Figure).Select(figure =>
            {
                var biggest = figure.MaxBy(w => w.Factor)!;
                string where = figure.Count() == 1 ? $"at {biggest.Clients:N0} clients" : $"at {string.Join(", ", figure.Select(w => w.Clients.ToString("N0")))} clients";
                return $"{figure.Key} {where} (by up to {biggest.Factor:0.#}×: {Number(biggest.Theirs)} vs {Number(biggest.Ours)} {biggest.Unit} for ChatLoad {biggest.OurMode} at {biggest.Clients:N0})";
            });
            string why = references.FirstOrDefault(r => r.Name == server.Key)?.Strengths is { Length: > 0 } s ? $" Why: {s}." : "";
            yield return $"{server.Key} beat ChatLoad on {string.Join("; ", parts)}.{why}";
        }
    }

    private static string Number(double v) => v >= 100 ? v.ToString("N0") : v >= 10 ? v.ToString("0.#") : v.ToString("0.##");
}
