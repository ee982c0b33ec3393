namespace ChatLoad.LoadEngine.Tests.Runner;

/// <summary>The open model on the real clock (its scheduler runs on a thread of its own): the number of iterations
/// follows from the schedule alone, so it is asserted exactly; timing is not asserted.</summary>
public class RealClockInjectTests
{
    [Fact]
    public async Task Inject_on_the_real_clock_starts_exactly_the_scheduled_iterations()
    {
        long started = 0;
        var scenario = Scenario.Create("real", async context =>
        {
            Interlocked.Increment(ref started);
            await Task.Yield();
            return Response.Ok();
        }).WithLoadSimulations(
            Simulation.Inject(200, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)),
            Simulation.RampingInject(400, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)));

        var result = await new LoadRunner(new EngineOptions { MonitorGenerator = false }).RunAsync(new LoadRunRequest { Scenarios = [scenario] });

        // 200/s × 0.5 s + a ramp from 200/s to 400/s over 0.5 s (mean 300/s) = 100 + 150.
        Assert.Equal(250, result.Scenarios[0].Iterations.OkCount);
        Assert.Equal(250, Interlocked.Read(ref started));
        Assert.Equal(0, result.Scenarios[0].DroppedIterations);
    }

    [Fact]
    public async Task Cancelling_wakes_the_scheduler_thread_and_the_run_still_returns_its_result()
    {
        var scenario = Scenario.Create("long", _ => ValueTask.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)));
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // The scheduler sleeps ten seconds between iterations here; cancellation must not wait for that.
        var result = await new LoadRunner(new EngineOptions { MonitorGenerator = false })
            .RunAsync(new LoadRunRequest { Scenarios = [scenario] }, ctrlC.Token)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.Scenarios[0].Iterations.OkCount);
        Assert.True(result.Scenarios[0].Duration < TimeSpan.FromSeconds(9));
        Assert.Contains(result.Notes, n => n.Contains("cancelled"));
    }
}
