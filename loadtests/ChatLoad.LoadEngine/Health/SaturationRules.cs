using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Health;

/// <summary>Turns the generator's per-second samples into plain-words warnings (pure: testable on made-up samples).</summary>
internal static class SaturationRules
{
    public static IReadOnlyList<string> Warnings(IReadOnlyList<GeneratorSample> samples, double lagP99Ms, double lagMaxMs,
        int processorCount, GeneratorHealthOptions options, long lagProbes = long.MaxValue, long lateProbes = long.MaxValue)
    {
        var warnings = new List<string>();

        int longestHot = 0, run = 0;
        double hottest = 0;
        foreach (var sample in samples)
        {
            run = sample.CpuPercent >= options.CpuPercentLimit ? run + 1 : 0;
            longestHot = Math.Max(longestHot, run);
            hottest = Math.Max(hottest, sample.CpuPercent);
        }
        if (longestHot >= options.CpuSecondsLimit)
            warnings.Add($"Generator CPU was at {options.CpuPercentLimit:0}% or more of its {processorCount} cores for {longestHot} s in a row " +
                         $"(peak {hottest:0}%): the load generator, not the target, may be the bottleneck; the target may handle more than measured.");

        if (lagProbes >= options.MinimumProbesForLagWarning && lateProbes >= options.MinimumLateProbes && lagP99Ms > options.LagP99Limit.TotalMilliseconds)
            warnings.Add($"Generator timers fired late (p99 {lagP99Ms:0} ms, max {lagMaxMs:0} ms): the generator's thread pool was starved, " +
                         "so iterations started late and measured latencies include the generator's own delay.");

        int growing = 0, longestGrowth = 0;
        long biggest = 0;
        for (int i = 1; i < samples.Count; i++)
        {
            bool grew = samples[i].ThreadPoolQueue > samples[i - 1].ThreadPoolQueue && samples[i].ThreadPoolQueue >= options.QueueLengthLimit;
            growing = grew ? growing + 1 : 0;
            longestGrowth = Math.Max(longestGrowth, growing);
            biggest = Math.Max(biggest, samples[i].ThreadPoolQueue);
        }
        if (longestGrowth >= options.QueueGrowthSeconds)
            warnings.Add($"The generator's thread-pool queue kept growing for {longestGrowth} s (up to {biggest:N0} items): " +
                         "it queued work faster than it could run it, so it could not apply the asked load on time.");
        return warnings;
    }

    /// <summary>Late (1% or more) or dropped iterations are the scheduler's own confession that it fell behind.</summary>
    public static IEnumerable<string> ScheduleWarnings(IEnumerable<ScenarioResult> scenarios)
    {
        foreach (var scenario in scenarios)
        {
            long started = scenario.Iterations.Count;
            if (scenario.DroppedIterations > 0)
                yield return $"Scenario {scenario.Name}: {scenario.DroppedIterations:N0} iterations were dropped and {scenario.LateIterations:N0} started late " +
                             "because too many were in flight: the asked rate was not applied (the target or the generator could not keep up).";
            else if (started > 0 && scenario.LateIterations * 100 >= started)
                yield return $"Scenario {scenario.Name}: {scenario.LateIterations:N0} of {started:N0} iterations ({100.0 * scenario.LateIterations / started:0.#}%) " +
                             "started late: the generator could not keep the schedule (latency is still counted from the schedule).";
        }
    }
}
