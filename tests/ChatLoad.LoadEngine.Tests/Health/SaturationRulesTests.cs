using ChatLoad.LoadEngine.Health;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Tests.Health;

public class SaturationRulesTests
{
    private static readonly GeneratorHealthOptions Options = new();

    private static List<GeneratorSample> Samples(params (double Cpu, long Queue)[] values) =>
        values.Select((v, i) => new GeneratorSample(i + 1, v.Cpu, 1, v.Queue, 4)).ToList();

    [Fact]
    public void A_healthy_generator_gets_no_warning() =>
        Assert.Empty(SaturationRules.Warnings(Samples((50, 0), (95, 10), (60, 0), (95, 0), (96, 0)), 3, 8, 2, Options));

    [Fact]
    public void Three_seconds_of_saturated_CPU_is_called_out()
    {
        var warning = Assert.Single(SaturationRules.Warnings(Samples((50, 0), (92, 0), (99, 0), (97, 0), (40, 0)), 3, 8, 2, Options));
        Assert.Contains("CPU was at 90% or more of its 2 cores for 3 s", warning);
        Assert.Contains("not the target", warning);
    }

    [Fact]
    public void Late_timers_are_called_out() =>
        Assert.Contains("p99 120 ms", Assert.Single(SaturationRules.Warnings(Samples((10, 0)), 120, 300, 2, Options)));

    [Fact]
    public void One_late_timer_or_too_few_probes_is_not_a_starved_pool()
    {
        Assert.Empty(SaturationRules.Warnings(Samples((10, 0)), 160, 160, 2, Options, lagProbes: 50, lateProbes: 1));
        Assert.Empty(SaturationRules.Warnings(Samples((10, 0)), 160, 160, 2, Options, lagProbes: 10, lateProbes: 5));
        Assert.Single(SaturationRules.Warnings(Samples((10, 0)), 160, 160, 2, Options, lagProbes: 50, lateProbes: 3));
    }

    [Fact]
    public void A_growing_thread_pool_queue_is_called_out()
    {
        var warning = Assert.Single(SaturationRules.Warnings(Samples((10, 500), (10, 1500), (10, 3000), (10, 9000), (10, 100)), 1, 1, 2, Options));
        Assert.Contains("kept growing for 3 s (up to 9,000 items)", warning);
    }

    [Fact]
    public void Dropped_and_late_iterations_are_called_out_per_scenario()
    {
        var scenario = new ScenarioResult
        {
            Name = "chat",
            Duration = TimeSpan.FromSeconds(1),
            Iterations = new StepStats { Name = "chat", OkCount = 1000, Latency = new LatencyResult { Name = "chat" } },
            LateIterations = 50,
        };
        Assert.Contains("50 of 1,000 iterations (5%) started late", Assert.Single(SaturationRules.ScheduleWarnings([scenario])));
        Assert.Contains("7 iterations were dropped", Assert.Single(SaturationRules.ScheduleWarnings([scenario with { DroppedIterations = 7 }])));
        Assert.Empty(SaturationRules.ScheduleWarnings([scenario with { LateIterations = 9 }])); // under 1%: noise
    }
}
