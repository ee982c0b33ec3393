using System.Text;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>The plan as the user sees it before anything runs: what, in which order, and about how long.</summary>
public static class PlanPrinter
{
    public static string Describe(ComparisonPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine($"comparison plan ({plan.Preset.ToString().ToLowerInvariant()}): servers {string.Join(", ", plan.Servers)}; " +
                        $"about {plan.RunCount} runs ({plan.Rungs.Count} rungs x {plan.Servers.Count} servers; {plan.RepeatsDescription()}); " +
                        $"up to {plan.MaxClients:N0} concurrent clients");
        foreach (var scenario in plan.Scenarios)
        {
            var rungs = plan.Rungs.Where(r => r.Scenario == scenario).ToArray();
            string durations = Distinct(rungs.Select(x => $"{x.Duration.TotalSeconds:0.#}"));
            string rates = rungs.Any(x => x.Rate is not null) ? $", --rate {Distinct(rungs.Select(x => x.Rate is { } r ? r.ToString("N0") : "-"))}/s" : "";
            if (rungs.FirstOrDefault(x => x.Search is not null)?.Search is { } s)
                rates = $", saturation search {s.StartRate:N0}→{s.MaxRate:N0} messages/s (x{s.Factor:0.#}, {s.BisectSteps} bisection{(s.BisectSteps == 1 ? "" : "s")}, p99 ≤ {s.SloP99Ms:0.#} ms)";
            var sharded = rungs.FirstOrDefault(x => x.Shards > 1);
            string shards = sharded is null ? "" : $", sharded from {sharded.Clients:N0} ({sharded.Shards} generator processes)";
            text.AppendLine($"  {scenario,-14} clients {string.Join(" / ", rungs.Select(x => x.Clients.ToString("N0")))}" +
                            $"; {durations} s each{rates}{shards}");
        }
        text.Append($"estimated time: {Format(plan.Estimate)} (about {Format(plan.Estimate / Math.Max(1, plan.Servers.Count))} per server)");
        return text.ToString();
    }

    /// <summary>"5" when every rung has the same value, "1 / 3 / 5" when they differ.</summary>
    private static string Distinct(IEnumerable<string> values)
    {
        var list = values.ToArray();
        return list.Distinct().Count() == 1 ? list[0] : string.Join(" / ", list);
    }

    public static string Format(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s" : $"{t.TotalSeconds:0} s";
}
