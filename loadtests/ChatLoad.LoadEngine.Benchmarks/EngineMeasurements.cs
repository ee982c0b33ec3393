using ChatLoad.LoadEngine.SelfTest;

namespace ChatLoad.LoadEngine.Benchmarks;

/// <summary>
/// Plain measurements printed as figures (not BenchmarkDotNet): closed-model iterations/s of the noop scenario, and
/// open-model accuracy (asked vs achieved rate) over a fixed time. The generator's own health is printed too, so a
/// figure taken on a saturated machine says so.
/// </summary>
internal static class EngineMeasurements
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var duration = TimeSpan.FromSeconds(seconds);
        var rates = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [1_000, 10_000, 50_000];

        bool injectOnly = args.Length > 3 && args[3] == "inject-only";
        foreach (var copies in injectOnly ? [] : new[] { Environment.ProcessorCount, 64 })
        {
            var noop = EngineSelfTestScenarios.Noop(new() { Clients = copies, Duration = duration });
            var result = await new LoadRunner().RunAsync(new LoadRunRequest { Scenarios = [noop] });
            var s = result.Scenarios[0];
            Console.WriteLine($"closed noop, {copies} copies, {seconds:0} s: {s.Iterations.Count:N0} iterations, {s.Iterations.Rps:N0} iterations/s, " +
                              $"p99 {s.Iterations.Latency.P99Ms:0.###} ms; generator CPU mean {result.Generator.CpuPercentMean:0}%, " +
                              $"lag p99 {result.Generator.SchedulerLagP99Ms:0.#} ms; GC gen0 {GC.CollectionCount(0)}");
        }

        foreach (var rate in rates)
        {
            var noop = EngineSelfTestScenarios.Noop(new() { Rate = rate, Duration = duration });
            var result = await new LoadRunner().RunAsync(new LoadRunRequest { Scenarios = [noop] });
            var s = result.Scenarios[0];
            double achieved = s.Iterations.Count / s.Duration.TotalSeconds;
            Console.WriteLine($"inject {rate:N0}/s for {seconds:0} s: asked {rate * seconds:N0}, started {s.Iterations.Count:N0} in {s.Duration.TotalSeconds:0.000} s " +
                              $"= {achieved:N1}/s ({100 * (achieved - rate) / rate:+0.00;-0.00}%), late {s.LateIterations:N0}, dropped {s.DroppedIterations:N0}, " +
                              $"p99 {s.Iterations.Latency.P99Ms:0.###} ms (from schedule); per-second rps min {s.TimeSeries.Where(p => p.Second < s.Duration.TotalSeconds - 0.5).Select(p => p.Rps).DefaultIfEmpty().Min():N0} " +
                              $"max {s.TimeSeries.Select(p => p.Rps).DefaultIfEmpty().Max():N0}");
        }
        return 0;
    }
}
