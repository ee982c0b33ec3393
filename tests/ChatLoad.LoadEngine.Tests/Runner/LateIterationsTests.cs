namespace ChatLoad.LoadEngine.Tests.Runner;

/// <summary>Coordinated omission on real time: a step that blocks its thread longer than the schedule allows makes
/// the scheduler fall behind. The late iterations are counted, and their latency counts from the schedule, so the
/// result shows the delay instead of hiding it. Only counts and lower bounds are asserted (no timing upper bounds).</summary>
public class LateIterationsTests
{
    [Fact]
    public async Task A_step_slower_than_the_schedule_makes_iterations_late_and_their_latency_includes_the_wait()
    {
        // 50/s asks for one iteration every 20 ms; each blocks for 40 ms, so the schedule slips 20 ms per iteration.
        var scenario = Scenario.Create("slow", _ =>
        {
            Thread.Sleep(40);
            return ValueTask.FromResult(Response.Ok());
        }).WithLoadSimulations(Simulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(new EngineOptions { MonitorGenerator = false, LateTolerance = TimeSpan.FromMilliseconds(10) });

        var result = await runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] });

        var stats = result.Scenarios[0];
        Assert.Equal(50, stats.Iterations.Count);            // all started, late
        Assert.InRange(stats.LateIterations, 40, 50);        // all but the first few
        // The last one was due at 980 ms but could start only after 49 × 40 ms = 1960 ms: about a second late.
        Assert.True(stats.Iterations.Latency.MaxMs >= 900, $"max {stats.Iterations.Latency.MaxMs} ms should include the scheduling delay");
    }
}
