using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Stats;

namespace ChatLoad.LoadEngine.Cluster.Coordinator;

/// <summary>
/// What a lost agent contributed, rebuilt from the per-second reports it sent before it went silent: iterations and
/// their latency (from each second's histogram, so exact for the seconds received), counters as of its last report,
/// gauges over its seconds. Step stats and custom histograms travel only in a finished result, so a lost agent's are
/// missing; the result's notes say so.
/// </summary>
internal static class PartialResult
{
    public static RunResult From(AgentState agent, TestInfo info, IReadOnlyList<string> scenarios)
    {
        var results = new List<ScenarioResult>();
        foreach (var name in scenarios)
        {
            var state = agent.Scenarios[name];
            var points = state.Points.Values.ToList();
            var histogram = LatencyHistograms.Create();
            foreach (var point in points) LatencyHistograms.AddDecoded(histogram, point.LatencyHistogramBase64);
            var last = points.LastOrDefault()?.Metrics ?? new Dictionary<string, double>();
            var counters = state.Counters.ToHashSet(StringComparer.Ordinal);
            var shared = state.SharedGauges.ToHashSet(StringComparer.Ordinal);
            var duration = TimeSpan.FromSeconds(points.LastOrDefault()?.Second ?? 0);
            long ok = points.Sum(p => p.Ok), fail = points.Sum(p => p.Fail);
            var gaugeNames = points.SelectMany(p => p.Metrics.Keys).Distinct()
                .Where(k => !counters.Contains(k) && !k.StartsWith("engine.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            results.Add(new ScenarioResult
            {
                Name = name,
                Duration = duration,
                Iterations = new StepStats
                {
                    Name = name,
                    OkCount = ok,
                    FailCount = fail,
                    Rps = duration > TimeSpan.Zero ? (ok + fail) / duration.TotalSeconds : 0,
                    BytesIn = points.Sum(p => p.BytesIn),
                    BytesOut = points.Sum(p => p.BytesOut),
                    Latency = LatencyHistograms.Summarize(name, histogram),
                },
                Counters = counters.Where(last.ContainsKey).Order(StringComparer.Ordinal)
                    .Select(c => new CounterResult(c, "", (long)last[c])).ToList(),
                Gauges = gaugeNames.Select(g =>
                {
                    var values = points.Where(p => p.Metrics.ContainsKey(g)).Select(p => p.Metrics[g]).ToList();
                    return new GaugeResult(g, "", values.Min(), values.Average(), values.Max(), values[^1], shared.Contains(g) ? GaugeMerge.Max : GaugeMerge.Sum);
                }).ToList(),
                TimeSeries = points,
                LateIterations = (long)last.GetValueOrDefault(ScenarioStatsCollector.LateSeriesName),
                DroppedIterations = (long)last.GetValueOrDefault(ScenarioStatsCollector.DroppedSeriesName),
                Notes =
                [
                    $"agent {agent.Name} was lost at {agent.LostAtSeconds:0.0} s ({agent.LostReason}): its part here is what it reported until then " +
                    $"({points.Count} seconds); its step stats and custom histograms were never received",
                ],
            });
        }
        return new RunResult
        {
            Info = info with { Machine = $"{agent.Hello.Machine} (agent {agent.Name}, lost)", ProcessorCount = agent.Hello.Capacity.Cores },
            Scenarios = results,
            Generator = new GeneratorHealth { Warnings = [$"agent {agent.Name} was lost at {agent.LostAtSeconds:0.0} s: its generator health is unknown"] },
        };
    }
}
