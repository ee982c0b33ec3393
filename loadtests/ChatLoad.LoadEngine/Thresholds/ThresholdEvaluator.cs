using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Thresholds;

/// <summary>Checks thresholds against a scenario's result. A stat that is missing (an unknown step or counter)
/// fails the threshold with a message that says so: a typo must not pass silently.</summary>
internal static class ThresholdEvaluator
{
    public static ThresholdResult Evaluate(Threshold threshold, ScenarioResult scenario)
    {
        ThresholdSpec spec;
        try
        {
            spec = ThresholdParser.ParseSpec(threshold.Expression);
        }
        catch (FormatException ex)
        {
            return new ThresholdResult(scenario.Name, threshold.Expression, false, null, ex.Message);
        }
        return Evaluate(spec, scenario);
    }

    public static ThresholdResult Evaluate(ThresholdSpec spec, ScenarioResult scenario)
    {
        var (actual, missing) = Actual(spec, scenario);
        if (actual is null)
            return new ThresholdResult(scenario.Name, spec.Expression, false, null, missing ?? "no value");
        bool passed = spec.Holds(actual.Value);
        string unit = spec.IsLatency ? " ms" : "";
        string message = $"{(passed ? "passed" : "FAILED")}: actual {actual.Value:0.###}{unit}, limit {ThresholdSpec.Symbol(spec.Operator)} {spec.Limit:0.###}{unit}";
        return new ThresholdResult(scenario.Name, spec.Expression, passed, actual, message);
    }

    private static (double? Value, string? Missing) Actual(ThresholdSpec spec, ScenarioResult scenario)
    {
        switch (spec.Stat)
        {
            case ThresholdStat.Counter:
                var counter = scenario.Counters.FirstOrDefault(c => c.Name == spec.MetricName);
                return counter is null ? (null, $"no counter named '{spec.MetricName}' in scenario {scenario.Name}") : (counter.Value, null);
            case ThresholdStat.Gauge:
                var gauge = scenario.Gauges.FirstOrDefault(g => g.Name == spec.MetricName);
                if (gauge is null) return (null, $"no gauge named '{spec.MetricName}' in scenario {scenario.Name}");
                return (spec.Aggregate switch
                {
                    GaugeAggregate.Min => gauge.Min,
                    GaugeAggregate.Mean => gauge.Mean,
                    GaugeAggregate.Max => gauge.Max,
                    _ => gauge.Last,
                }, null);
            case ThresholdStat.Histogram:
                var histogram = scenario.Histograms.FirstOrDefault(h => h.Name == spec.MetricName);
                return histogram is null ? (null, $"no histogram named '{spec.MetricName}' in scenario {scenario.Name}")
                    : (Latency(histogram, spec.LatencyStat), null);
            case ThresholdStat.Late: return (scenario.LateIterations, null);
            case ThresholdStat.Dropped: return (scenario.DroppedIterations, null);
        }

        var stats = spec.Step is null ? scenario.Iterations : scenario.Steps.FirstOrDefault(s => s.Name == spec.Step);
        if (stats is null) return (null, $"no step named '{spec.Step}' in scenario {scenario.Name}");
        return (spec.Stat switch
        {
            ThresholdStat.Rps => stats.Rps,
            ThresholdStat.Ok => stats.OkCount,
            ThresholdStat.Fail => stats.FailCount,
            ThresholdStat.FailPercent => stats.FailPercent,
            ThresholdStat.Count => stats.Count,
            ThresholdStat.BytesIn => stats.BytesIn,
            ThresholdStat.BytesOut => stats.BytesOut,
            _ => Latency(stats.Latency, spec.Stat),
        }, null);
    }

    private static double Latency(LatencyResult latency, ThresholdStat stat) => stat switch
    {
        ThresholdStat.P50 => latency.P50Ms,
        ThresholdStat.P75 => latency.P75Ms,
        ThresholdStat.P95 => latency.P95Ms,
        ThresholdStat.P99 => latency.P99Ms,
        ThresholdStat.P999 => latency.P999Ms,
        ThresholdStat.Min => latency.MinMs,
        ThresholdStat.Mean => latency.MeanMs,
        ThresholdStat.Max => latency.MaxMs,
        _ => latency.StdDevMs,
    };

    /// <summary>Evaluates scenario-level thresholds and run-level ones (which apply to the named scenario, or to
    /// every scenario when unprefixed).</summary>
    public static IReadOnlyList<ThresholdResult> EvaluateAll(IReadOnlyList<ScenarioResult> scenarios,
        IReadOnlyDictionary<string, IReadOnlyList<Threshold>> scenarioThresholds, IReadOnlyList<Threshold> runThresholds)
    {
        var results = new List<ThresholdResult>();
        foreach (var scenario in scenarios)
        {
            if (scenarioThresholds.TryGetValue(scenario.Name, out var own))
                results.AddRange(own.Select(t => Evaluate(t, scenario)));
        }
        foreach (var threshold in runThresholds)
        {
            ThresholdSpec spec;
            try { spec = ThresholdParser.ParseSpec(threshold.Expression); }
            catch (FormatException ex) { results.Add(new ThresholdResult("", threshold.Expression, false, null, ex.Message)); continue; }
            var targets = spec.Scenario is null ? scenarios : scenarios.Where(s => s.Name == spec.Scenario).ToList();
            if (targets.Count == 0)
                results.Add(new ThresholdResult(spec.Scenario ?? "", spec.Expression, false, null, $"no scenario named '{spec.Scenario}' ran"));
            results.AddRange(targets.Select(s => Evaluate(spec, s)));
        }
        return results;
    }
}
