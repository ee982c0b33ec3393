using ChatLoad.LoadEngine.Stats;
using HdrHistogram;
using ChatLoad.LoadEngine.Thresholds;

namespace ChatLoad.LoadEngine.Results;

/// <summary>
/// Merges the results of several generator processes (shards of one test) into one result, as if one process had
/// made all the load: latency histograms are added (so percentiles are exact, not averaged), counts and counters
/// summed, time series aligned by second and summed (per-second percentiles from the per-second histograms),
/// gauges combined second by second by their <see cref="GaugeMerge"/> rule: summed when each shard holds a share
/// (connected clients), the highest reading when every shard observes the same figure (server threads, RSS).
/// Thresholds are re-evaluated on the merge.
/// </summary>
public static class RunResultMerger
{
    /// <summary>One result from several shards' results of the same scenarios; throws <see cref="FormatException"/>
    /// when they do not fit together (different scenarios or histogram formats).</summary>
    public static RunResult Merge(IReadOnlyList<RunResult> shards)
    {
        if (shards.Count == 0) throw new ArgumentException("nothing to merge");
        if (shards.Count == 1) return shards[0];

        var started = shards.Min(s => s.Info.Started);
        var ended = shards.Max(s => s.Info.Started + s.Info.Duration);
        var scenarioNames = shards.SelectMany(s => s.Scenarios.Select(c => c.Name)).Distinct().ToList();
        var scenarios = scenarioNames
            .Select(name => MergeScenario(shards.SelectMany(s => s.Scenarios.Where(c => c.Name == name)).ToList()))
            .ToList();

        var first = shards[0].Info;
        var info = first with
        {
            TestName = first.TestName,
            SessionId = string.Join("+", shards.Select(s => s.Info.SessionId).Distinct()),
            Started = started,
            Duration = ended - started,
            Machine = string.Join(", ", shards.Select(s => s.Info.Machine).Distinct()),
            ProcessorCount = shards.Sum(s => s.Info.ProcessorCount),
            Properties = MergeProperties(shards.Select(s => s.Info.Properties)),
        };

        var thresholds = shards.SelectMany(s => s.Thresholds)
            .Select(t => (t.Scenario, t.Expression)).Distinct()
            .Select(t => Reevaluate(t.Scenario, t.Expression, scenarios))
            .ToList();

        return new RunResult
        {
            Info = info,
            Scenarios = scenarios,
            Thresholds = thresholds,
            Generator = MergeGenerators(shards),
            Notes = shards.SelectMany(s => s.Notes).Distinct().ToList(),
            ShardCount = shards.Sum(s => s.ShardCount),
        };
    }

    private static ThresholdResult Reevaluate(string scenarioName, string expression, IReadOnlyList<ScenarioResult> scenarios)
    {
        var scenario = scenarios.FirstOrDefault(s => s.Name == scenarioName);
        return scenario is null
            ? new ThresholdResult(scenarioName, expression, false, null, $"no scenario named '{scenarioName}' in the merged result")
            : ThresholdEvaluator.Evaluate(new Threshold(expression), scenario);
    }

    private static IReadOnlyDictionary<string, string> MergeProperties(IEnumerable<IReadOnlyDictionary<string, string>> all)
    {
        var merged = new Dictionary<string, List<string>>();
        foreach (var properties in all)
            foreach (var (key, value) in properties)
            {
                if (!merged.TryGetValue(key, out var values)) merged[key] = values = new List<string>();
                if (!values.Contains(value)) values.Add(value);
            }
        return merged.ToDictionary(kv => kv.Key, kv => string.Join(" | ", kv.Value));
    }

    internal static ScenarioResult MergeScenario(IReadOnlyList<ScenarioResult> parts)
    {
        var duration = parts.Max(p => p.Duration);
        var stepNames = parts.SelectMany(p => p.Steps.Select(s => s.Name)).Distinct().ToList();
        var counterNames = parts.SelectMany(p => p.Counters.Select(c => c.Name)).ToHashSet();
        var sharedGauges = parts.SelectMany(p => p.Gauges).Where(g => g.Merge == GaugeMerge.Max).Select(g => g.Name).ToHashSet();
        var series = MergeTimeSeries(parts, counterNames, sharedGauges);
        return new ScenarioResult
        {
            Name = parts[0].Name,
            Duration = duration,
            LoadSimulations = parts[0].LoadSimulations,
            Iterations = MergeSteps(parts[0].Iterations.Name, parts.Select(p => p.Iterations).ToList(), duration),
            Steps = stepNames.Select(n => MergeSteps(n, parts.SelectMany(p => p.Steps.Where(s => s.Name == n)).ToList(), duration)).ToList(),
            Counters = parts.SelectMany(p => p.Counters).GroupBy(c => c.Name)
                .Select(g => new CounterResult(g.Key, g.First().Unit, g.Sum(c => c.Value))).OrderBy(c => c.Name, StringComparer.Ordinal).ToList(),
            Gauges = MergeGauges(parts, series),
            Histograms = parts.SelectMany(p => p.Histograms).GroupBy(h => h.Name)
                .Select(g => MergeLatency(g.Key, g.ToList())).OrderBy(h => h.Name, StringComparer.Ordinal).ToList(),
            TimeSeries = series,
            LateIterations = parts.Sum(p => p.LateIterations),
            DroppedIterations = parts.Sum(p => p.DroppedIterations),
            Notes = parts.SelectMany(p => p.Notes).Distinct().ToList(),
        };
    }

    private static StepStats MergeSteps(string name, IReadOnlyList<StepStats> parts, TimeSpan duration)
    {
        long ok = parts.Sum(p => p.OkCount), fail = parts.Sum(p => p.FailCount);
        return new StepStats
        {
            Name = name,
            OkCount = ok,
            FailCount = fail,
            // Shards run side by side over the same span, so the rate of the union is the total over that span.
            Rps = duration > TimeSpan.Zero ? (ok + fail) / duration.TotalSeconds : 0,
            BytesIn = parts.Sum(p => p.BytesIn),
            BytesOut = parts.Sum(p => p.BytesOut),
            Latency = MergeLatency(name, parts.Select(p => p.Latency).ToList()),
            Statuses = parts.SelectMany(p => p.Statuses).GroupBy(s => (s.StatusCode, s.IsError))
                .Select(g => new StatusCount(g.Key.StatusCode, g.Key.IsError, g.Sum(s => s.Count), g.Select(s => s.SampleMessage).FirstOrDefault(m => m is not null)))
                .OrderBy(s => s.IsError).ThenByDescending(s => s.Count).ThenBy(s => s.StatusCode, StringComparer.Ordinal)
                .ToList(),
        };
    }

    private static LatencyResult MergeLatency(string name, IReadOnlyList<LatencyResult> parts)
    {
        var histogram = LatencyHistograms.Create();
        foreach (var part in parts)
        {
            if (part.Count > 0 && string.IsNullOrEmpty(part.HistogramBase64))
                throw new FormatException($"latency '{name}' has {part.Count} values but no histogram: it cannot be merged exactly");
            LatencyHistograms.AddDecoded(histogram, part.HistogramBase64);
        }
        return LatencyHistograms.Summarize(name, histogram);
    }

    private static IReadOnlyList<TimeSeriesPoint> MergeTimeSeries(IReadOnlyList<ScenarioResult> parts, HashSet<string> counterNames,
        HashSet<string> sharedGauges)
    {
        // Align by whole second: shard A's point at 3.001 s and shard B's at 2.998 s describe the same second.
        var seconds = parts.SelectMany(p => p.TimeSeries.Select(t => Math.Round(t.Second))).Distinct().Order().ToList();
        var lastCounters = parts.Select(_ => new Dictionary<string, double>()).ToArray();
        var merged = new List<TimeSeriesPoint>();
        foreach (var second in seconds)
        {
            var points = new List<TimeSeriesPoint>();
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            var histogram = LatencyHistograms.Create();
            for (int i = 0; i < parts.Count; i++)
            {
                var point = parts[i].TimeSeries.FirstOrDefault(t => Math.Round(t.Second) == second);
                if (point is not null)
                {
                    points.Add(point);
                    LatencyHistograms.AddDecoded(histogram, point.LatencyHistogramBase64);
                    foreach (var (key, value) in point.Metrics)
                    {
                        metrics[key] = sharedGauges.Contains(key)
                            ? Math.Max(metrics.GetValueOrDefault(key, double.MinValue), value)
                            : metrics.GetValueOrDefault(key) + value;
                        if (counterNames.Contains(key) || IsEngineCounter(key)) lastCounters[i][key] = value;
                    }
                }
                else
                {
                    // A shard that has ended still holds its cumulative counts; its gauges no longer apply.
                    foreach (var (key, value) in lastCounters[i]) metrics[key] = metrics.GetValueOrDefault(key) + value;
                }
            }
            merged.Add(Combine(points, metrics, histogram));
        }
        return merged;
    }

    /// <summary>One second as several shards (or a cluster's agents) saw it, as one: counts and rates summed,
    /// percentiles from the added histograms, metrics summed except the gauges every shard observes alike
    /// (<paramref name="sharedGauges"/>: the highest reading). The live views of a cluster run use it.</summary>
    internal static TimeSeriesPoint MergeSecond(IReadOnlyList<TimeSeriesPoint> points, IReadOnlySet<string> sharedGauges)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var histogram = LatencyHistograms.Create();
        foreach (var point in points)
        {
            LatencyHistograms.AddDecoded(histogram, point.LatencyHistogramBase64);
            foreach (var (key, value) in point.Metrics)
                metrics[key] = sharedGauges.Contains(key)
                    ? Math.Max(metrics.GetValueOrDefault(key, double.MinValue), value)
                    : metrics.GetValueOrDefault(key) + value;
        }
        return Combine(points, metrics, histogram);
    }

    private static TimeSeriesPoint Combine(IReadOnlyList<TimeSeriesPoint> points, Dictionary<string, double> metrics, LongHistogram histogram) => new()
    {
        Second = points.Max(p => p.Second),
        Rps = points.Sum(p => p.Rps),
        Ok = points.Sum(p => p.Ok),
        Fail = points.Sum(p => p.Fail),
        P50Ms = histogram.TotalCount == 0 ? 0 : LatencyHistograms.ToMs(histogram.GetValueAtPercentile(50)),
        P99Ms = histogram.TotalCount == 0 ? 0 : LatencyHistograms.ToMs(histogram.GetValueAtPercentile(99)),
        MaxMs = histogram.TotalCount == 0 ? 0 : LatencyHistograms.ToMs(histogram.GetMaxValue()),
        BytesIn = points.Sum(p => p.BytesIn),
        BytesOut = points.Sum(p => p.BytesOut),
        Metrics = metrics,
        LatencyHistogramBase64 = histogram.TotalCount == 0 ? null : LatencyHistograms.Encode(histogram),
    };

    private static bool IsEngineCounter(string key) =>
        key is ScenarioStatsCollector.LateSeriesName or ScenarioStatsCollector.DroppedSeriesName;

    private static IReadOnlyList<GaugeResult> MergeGauges(IReadOnlyList<ScenarioResult> parts, IReadOnlyList<TimeSeriesPoint> series)
    {
        var gauges = new List<GaugeResult>();
        foreach (var group in parts.SelectMany(p => p.Gauges).GroupBy(g => g.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = series.Where(p => p.Metrics.ContainsKey(group.Key)).Select(p => p.Metrics[group.Key]).ToList();
            var merge = group.First().Merge;
            Func<Func<GaugeResult, double>, double> combine = merge == GaugeMerge.Max ? group.Max : group.Sum;
            double last = combine(g => g.Last);
            gauges.Add(values.Count == 0
                ? new GaugeResult(group.Key, group.First().Unit, combine(g => g.Min), combine(g => g.Mean), combine(g => g.Max), last, merge)
                : new GaugeResult(group.Key, group.First().Unit, values.Min(), values.Average(), values.Max(), last, merge));
        }
        return gauges;
    }

    private static GeneratorHealth MergeGenerators(IReadOnlyList<RunResult> shards)
    {
        var generators = shards.Select(s => s.Generator).ToList();
        return new GeneratorHealth
        {
            CpuPercentMean = generators.Average(g => g.CpuPercentMean),
            CpuPercentMax = generators.Max(g => g.CpuPercentMax),
            SchedulerLagP99Ms = generators.Max(g => g.SchedulerLagP99Ms),
            SchedulerLagMaxMs = generators.Max(g => g.SchedulerLagMaxMs),
            ThreadPoolQueueMax = generators.Max(g => g.ThreadPoolQueueMax),
            ThreadPoolThreadsMax = generators.Max(g => g.ThreadPoolThreadsMax),
            // Each shard's warnings stay visible, labelled, since each describes one machine's generator.
            Warnings = shards.SelectMany((s, i) => s.Generator.Warnings.Select(w => $"shard {i + 1} ({s.Info.Machine}): {w}")).ToList(),
            Samples = generators.SelectMany(g => g.Samples).GroupBy(s => Math.Round(s.Second)).OrderBy(g => g.Key)
                .Select(g => new GeneratorSample(g.Key, g.Max(s => s.CpuPercent), g.Max(s => s.SchedulerLagMs), g.Max(s => s.ThreadPoolQueue), g.Max(s => s.ThreadPoolThreads)))
                .ToList(),
        };
    }
}
