using System.Text;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A scenario's plain-words verdict, computed from its figures: where the first mode kept up with the second, where
/// it fell behind and how, where either failed and with which error, and what each cost in threads and memory.
/// Nothing here is canned: every clause is there because a figure put it there.
/// </summary>
public sealed record ScenarioVerdict(string Text)
{
    /// <summary>Highest client count at which the first mode matched the second (null if never).</summary>
    public int? MatchedUpTo { get; init; }

    /// <summary>First client count at which the first mode fell behind the second.</summary>
    public int? FellBehindAt { get; init; }

    /// <summary>First client count at which the second mode fell behind the first.</summary>
    public int? OtherFellBehindAt { get; init; }

    /// <summary>Per mode, the first client count where it failed.</summary>
    public IReadOnlyDictionary<string, int> FailedAt { get; init; } = new Dictionary<string, int>();

    public static ScenarioVerdict For(ScenarioTable table, IReadOnlyList<string> modes, VerdictTolerances? tolerances = null)
    {
        var tol = tolerances ?? VerdictTolerances.Default;
        // Verdicts are about our two models; reference servers are shown beside them, not judged here.
        var present = modes.Where(m => table.ForServer(m).Any()).OrderBy(m => ChatLoadServer.Modes.Contains(m) ? 0 : 1).ToArray();
        if (present.Count(ChatLoadServer.Modes.Contains) >= 1) present = present.Where(ChatLoadServer.Modes.Contains).ToArray();
        if (present.Length == 0) return new ScenarioVerdict("no runs.");

        var text = new StringBuilder();
        var failedAt = new Dictionary<string, int>();
        int? matchedUpTo = null, behindAt = null, otherBehindAt = null;

        if (present.Length >= 2)
        {
            string a = present[0], b = present[1];
            var judged = table.Clients
                .Select(c => (c, pa: table.Point(a, c), pb: table.Point(b, c)))
                .Where(x => x.pa is not null && x.pb is not null)
                .Select(x => (x.c, ab: PointComparison.Of(x.pa!, x.pb!, tol), ba: PointComparison.Of(x.pb!, x.pa!, tol)))
                .Where(x => x.ab is not null && x.ba is not null)
                .ToArray();
            var excluded = judged.Where(x => x.ab!.Excluded is not null).ToArray();
            var compared = judged.Where(x => x.ab!.Excluded is null).ToArray();

            if (compared.Length == 0)
            {
                text.Append(excluded.Length > 0
                    ? $"not compared: at every client count both completed, {excluded[0].ab!.Excluded}"
                    : $"there is no client count at which both {a} and {b} completed");
            }
            else
            {
                var firstBehind = compared.FirstOrDefault(x => !x.ab!.Matched);
                var matchedBefore = compared.TakeWhile(x => x.ab!.Matched).Select(x => x.c).ToArray();
                matchedUpTo = matchedBefore.Length > 0 ? matchedBefore[^1] : null;
                behindAt = firstBehind.ab is null ? null : firstBehind.c;

                if (behindAt is null)
                    text.Append($"{a} kept up with {b} at every client count both completed (up to {compared[^1].c:N0})");
                else if (matchedUpTo is null)
                    text.Append($"{a} trailed {b} from the first compared rung: at {behindAt:N0} clients {firstBehind.ab!.Shortfall}");
                else
                    text.Append($"{a} matched {b} up to {matchedUpTo:N0} clients; at {behindAt:N0} {firstBehind.ab!.Shortfall}");

                var otherBehind = compared.FirstOrDefault(x => !x.ba!.Matched);
                if (otherBehind.ba is not null)
                {
                    otherBehindAt = otherBehind.c;
                    text.Append($"; {b} fell behind {a} at {otherBehind.c:N0} clients: {otherBehind.ba.Shortfall}");
                }

                var fewSamples = compared.Where(x => x.ab!.LatencyTooFewSamples).Select(x => x.c.ToString("N0")).ToArray();
                if (fewSamples.Length > 0)
                    text.Append($" (p99 not compared at {string.Join(", ", fewSamples)} clients: under {tol.MinLatencySamples} latency samples)");

                if (excluded.Length > 0)
                    text.Append($" (not compared at {string.Join(", ", excluded.Select(x => x.c.ToString("N0")))} clients: {excluded[0].ab!.Excluded})");

                var top = compared[^1].c;
                text.Append($". At {top:N0} clients the {a} server used {Footprint(table.Point(a, top)!)}, the {b} server {Footprint(table.Point(b, top)!)}");
                var costs = PointComparison.Costs(table.Point(a, top)!, table.Point(b, top)!, tol);
                if (costs.Count > 0) text.Append($" ({a} cost more: {string.Join("; ", costs)})");
            }
        }
        else
        {
            text.Append(Alone(table, present[0]));
        }

        foreach (var mode in present)
        {
            var failure = table.ForServer(mode).FirstOrDefault(p => p.IsFailure);
            if (failure is null) continue;
            failedAt[mode] = failure.Clients;
            var others = present.Where(m => m != mode && table.Point(m, failure.Clients) is { IsFailure: false, SucceededCount: > 0 }).ToArray();
            string held = others.Length > 0 ? $" ({string.Join(", ", others)} held there)" : "";
            text.Append($". {mode} failed at {failure.Clients:N0} clients{held}: {failure.FirstFailure?.Failure}");
        }
        var flaky = present.SelectMany(m => table.ForServer(m)).Where(p => !p.IsFailure && p.FailedCount > 0).ToArray();
        foreach (var p in flaky)
            text.Append($". {p.Server} at {p.Clients:N0} clients failed {p.FailedCount} of {p.Runs.Count} repeats");

        return new ScenarioVerdict(text.Append('.').ToString().Replace("..", "."))
        {
            MatchedUpTo = matchedUpTo,
            FellBehindAt = behindAt,
            OtherFellBehindAt = otherBehindAt,
            FailedAt = failedAt,
        };
    }

    private static string Alone(ScenarioTable table, string mode)
    {
        var ok = table.ForServer(mode).Where(p => !p.IsFailure && p.SucceededCount > 0).ToArray();
        if (ok.Length == 0) return $"{mode} produced no figures";
        var first = ok[0];
        var last = ok[^1];
        string latency = (first.Median(Figure.P99), last.Median(Figure.P99)) switch
        {
            ({ } p, _) when ok.Length == 1 => $"p99 was {PointComparison.Ms(p)} at {first.Clients:N0} clients",
            ({ } p1, { } p2) => $"p99 went from {PointComparison.Ms(p1)} at {first.Clients:N0} clients to {PointComparison.Ms(p2)} at {last.Clients:N0}",
            _ => $"ran up to {last.Clients:N0} clients",
        };
        return $"{mode} only: {latency}; at {last.Clients:N0} clients the server used {Footprint(last)}";
    }

    /// <summary>"2,004 threads, 310 MB RSS" — what a point cost the server.</summary>
    private static string Footprint(PointSummary p)
    {
        var parts = new List<string>();
        if (p.Median(Figure.Threads) is { } t) parts.Add($"{t:N0} threads");
        if (p.Median(Figure.Rss) is { } rss) parts.Add($"{rss:N0} MB RSS");
        return parts.Count == 0 ? "(no server figures)" : string.Join(" and ", parts);
    }
}
