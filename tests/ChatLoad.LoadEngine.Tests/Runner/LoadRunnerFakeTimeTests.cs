using ChatLoad.LoadEngine.Tests.Support;

namespace ChatLoad.LoadEngine.Tests.Runner;

/// <summary>Simulations on fake time with fake steps: the asked rate and concurrency are delivered, warm-up is not
/// counted. Counts that follow from the schedule alone are exact; counts that depend on thread timing are ranges.</summary>
public class LoadRunnerFakeTimeTests
{
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Inject_starts_exactly_the_asked_number_of_iterations_spread_over_each_second()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("inject", _ => ValueTask.FromResult(Response.Ok(sizeBytes: 3)))
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        var runner = new LoadRunner(FakeClock.Options(new EngineOptions { LateTolerance = TimeSpan.FromMilliseconds(100) }), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var stats = result.Scenarios[0];
        Assert.Equal(500, stats.Iterations.OkCount);
        Assert.Equal(1500, stats.Iterations.BytesIn);
        Assert.Equal(5, stats.Duration.TotalSeconds, 2);
        Assert.Equal(100, stats.Iterations.Rps, 1);
        Assert.Equal(0, stats.DroppedIterations);
        // Every whole second of the series carries about a hundred; the sampler and the scheduler share each clock step.
        var wholeSeconds = stats.TimeSeries.Where(p => p.Second <= 5.001).ToList();
        Assert.InRange(wholeSeconds.Count, 4, 5);
        Assert.All(wholeSeconds, p => Assert.InRange(p.Ok, 90, 110));
    }

    [Fact]
    public async Task Ramping_inject_rises_from_zero_to_the_asked_rate()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("ramp", _ => ValueTask.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.RampingInject(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var stats = result.Scenarios[0];
        Assert.Equal(400, stats.Iterations.Count); // 200/s × 4 s / 2
        var series = stats.TimeSeries.Where(p => p.Ok > 0).Select(p => p.Ok).ToList();
        Assert.True(series.Count >= 3);
        Assert.True(series[^1] > series[0] * 3, $"rate should rise: {string.Join(",", series)}");
    }

    [Fact]
    public async Task Keep_constant_holds_exactly_the_asked_number_of_copies_in_flight()
    {
        var time = FakeClock.NewTime();
        int inFlight = 0, maxInFlight = 0;
        var copiesSeen = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var scenario = Scenario.Create("closed", async context =>
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            copiesSeen[context.ScenarioInfo.InstanceNumber] = true;
            await Task.Delay(TimeSpan.FromMilliseconds(100), context.Time);
            Interlocked.Decrement(ref inFlight);
            return Response.Ok();
        }).WithLoadSimulations(Simulation.KeepConstant(5, TimeSpan.FromSeconds(2)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Equal(5, maxInFlight);
        Assert.Equal(Enumerable.Range(0, 5), copiesSeen.Keys.Order());
        // 5 copies × 2 s / 100 ms = 100 if every timer fired on time; a copy can lose a clock step per iteration.
        Assert.InRange(result.Scenarios[0].Iterations.Count, 50, 100);
        Assert.InRange(result.Scenarios[0].Iterations.Latency.P50Ms, 100, 120);
    }

    [Fact]
    public async Task Ramping_constant_grows_the_copy_count()
    {
        var time = FakeClock.NewTime();
        int inFlight = 0, maxInFlight = 0;
        var scenario = Scenario.Create("ramp-copies", async context =>
        {
            InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
            await Task.Delay(TimeSpan.FromMilliseconds(50), context.Time);
            Interlocked.Decrement(ref inFlight);
            return Response.Ok();
        }).WithLoadSimulations(Simulation.RampingConstant(10, TimeSpan.FromSeconds(2)), Simulation.KeepConstant(10, TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Equal(10, maxInFlight);
        var perSecond = result.Scenarios[0].TimeSeries.Select(p => p.Ok).ToList();
        Assert.True(perSecond[0] < perSecond[2], $"the first (ramping) second should run fewer iterations: {string.Join(",", perSecond)}");
    }

    [Fact]
    public async Task Copies_carry_over_from_warm_up_and_between_closed_phases_without_overlap()
    {
        var time = FakeClock.NewTime();
        int inFlight = 0, maxInFlight = 0;
        long warm = 0, measured = 0;
        var scenario = Scenario.Create("handover", async context =>
        {
            InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
            Interlocked.Increment(ref context.IsWarmUp ? ref warm : ref measured);
            await Task.Delay(TimeSpan.FromMilliseconds(70), context.Time);
            Interlocked.Decrement(ref inFlight);
            return Response.Ok();
        })
        .WithWarmUpDuration(TimeSpan.FromSeconds(1))
        .WithLoadSimulations(Simulation.KeepConstant(4, TimeSpan.FromSeconds(1)), Simulation.KeepConstant(4, TimeSpan.FromSeconds(1)),
            Simulation.KeepConstant(2, TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Equal(4, maxInFlight);
        Assert.True(warm > 0);
        Assert.Equal(measured, result.Scenarios[0].Iterations.Count);
        var perSecond = result.Scenarios[0].TimeSeries.Select(p => p.Ok).ToList();
        Assert.True(perSecond[^1] < perSecond[0], $"the 2-copy second should run fewer: {string.Join(",", perSecond)}");
    }

    [Fact]
    public async Task Iterations_for_constant_runs_exactly_the_asked_iterations()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("fixed", async context =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), context.Time);
            return Response.Ok();
        }).WithLoadSimulations(Simulation.IterationsForConstant(4, 37));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(60));

        Assert.Equal(37, result.Scenarios[0].Iterations.Count);
    }

    [Fact]
    public async Task Warm_up_iterations_run_but_are_not_counted()
    {
        var time = FakeClock.NewTime();
        long warm = 0, measured = 0;
        var scenario = Scenario.Create("warm", context =>
        {
            Interlocked.Increment(ref context.IsWarmUp ? ref warm : ref measured);
            return ValueTask.FromResult(context.IsWarmUp ? Response.Fail("warm") : Response.Ok());
        })
        .WithLoadSimulations(Simulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)))
        .WithWarmUpDuration(TimeSpan.FromSeconds(2));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var stats = result.Scenarios[0];
        Assert.Equal(100, warm);
        Assert.Equal(100, measured);
        Assert.Equal(100, stats.Iterations.OkCount);
        Assert.Equal(0, stats.Iterations.FailCount); // the warm-up's failures are not in the result
        Assert.Equal(2, stats.Duration.TotalSeconds, 2);
    }

    [Fact]
    public async Task Open_model_drops_iterations_beyond_the_in_flight_cap_when_the_target_hangs()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("hang", async context =>
        {
            await Task.Delay(TimeSpan.FromMinutes(10), context.Time, context.ScenarioCancellationToken);
            return Response.Ok();
        }).WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        var options = FakeClock.Options(new EngineOptions { MaxInFlight = 50, DrainTimeout = TimeSpan.FromSeconds(1) });
        var runner = new LoadRunner(options, time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var stats = result.Scenarios[0];
        Assert.Equal(150, stats.DroppedIterations); // 200 due, 50 in flight, the rest dropped
        Assert.Equal(0, stats.Iterations.Count);     // the hung ones were cancelled at the end, not counted as results
        Assert.Contains(stats.Notes, n => n.Contains("50 iterations were still running"));
        Assert.Contains(result.Generator.Warnings, w => w.Contains("150 iterations were dropped"));
    }

    [Fact]
    public async Task Several_scenarios_run_at_once_and_each_gets_its_result()
    {
        var time = FakeClock.NewTime();
        var a = Scenario.Create("a", _ => ValueTask.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        var b = Scenario.Create("b", _ => ValueTask.FromResult(Response.Fail("nope")))
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [a, b] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Equal(["a", "b"], result.Scenarios.Select(s => s.Name));
        Assert.Equal(40, result.Scenarios[0].Iterations.OkCount);
        Assert.Equal(20, result.Scenarios[1].Iterations.FailCount);
        Assert.Equal(new StatusCountLite("nope", true, 20), StatusCountLite.Of(result.Scenarios[1].Iterations.Statuses.Single()));
        // Together: wall time is one scenario's, not the sum.
        Assert.InRange(result.Info.Duration.TotalSeconds, 2, 3.5);
    }

    [Fact]
    public async Task A_client_pool_filled_in_init_reaches_iterations_and_clean_and_notes_reach_the_result()
    {
        var time = FakeClock.NewTime();
        var pool = new ClientPool<string>();
        int poolSizeSeenByClean = -1;
        var scenario = Scenario.Create("stateful", context =>
                ValueTask.FromResult(pool.GetClient(context.ScenarioInfo.InstanceNumber) is "client" ? Response.Ok() : Response.Fail("no client")))
            .WithInit(context => { pool.AddClient("client"); context.Notes.Add("pool of 1"); context.Properties["server mode"] = "fake"; return Task.CompletedTask; })
            .WithClean(async context => { poolSizeSeenByClean = pool.Count; await pool.DisposeClientsAsync(); })
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Equal(10, result.Scenarios[0].Iterations.OkCount);
        Assert.Equal(1, poolSizeSeenByClean);
        Assert.Equal(0, pool.Count);
        Assert.Contains("pool of 1", result.Scenarios[0].Notes);
        Assert.Equal("fake", result.Info.Properties["server mode"]);
    }

    [Fact]
    public async Task A_failing_init_is_reported_as_a_broken_threshold()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("broken", _ => ValueTask.FromResult(Response.Ok()))
            .WithInit(_ => throw new InvalidOperationException("server not reachable"))
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.False(result.AllThresholdsPassed);
        Assert.Contains(result.Thresholds, t => t.Message.Contains("server not reachable"));
        Assert.Equal(0, result.Scenarios[0].Iterations.Count);
    }

    [Fact]
    public async Task Steps_are_timed_and_counted_apart_from_the_iteration()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("steps", async context =>
        {
            await Step.Run("connect", context, async () => { await Task.Delay(TimeSpan.FromMilliseconds(20), context.Time); return Response.Ok(bytesSent: 7); });
            var reply = await Step.Run("reply", context, () => ValueTask.FromResult(Response.Fail("timeout", "no reply")));
            return reply;
        }).WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var stats = result.Scenarios[0];
        Assert.Equal(["connect", "reply"], stats.Steps.Select(s => s.Name));
        var connect = stats.Steps[0];
        Assert.Equal(stats.Iterations.FailCount, connect.OkCount);
        Assert.Equal(connect.OkCount * 7, connect.BytesOut);
        Assert.InRange(connect.Latency.P50Ms, 19.9, 40);
        Assert.Equal("no reply", stats.Steps[1].Statuses.Single().SampleMessage);
    }

    [Fact]
    public async Task Cancelling_stops_the_load_but_still_returns_the_result_so_far()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("long", _ => ValueTask.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        using var ctrlC = new CancellationTokenSource();
        var runner = new LoadRunner(FakeClock.Options(), time);
        var run = runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }, ctrlC.Token);

        // Two seconds of fake time, then "Ctrl+C".
        for (int i = 0; i < 200; i++) { await Task.Delay(1); time.Advance(ClockStep); }
        ctrlC.Cancel();
        var result = await FakeClock.DriveAsync(time, run, ClockStep, TimeSpan.FromSeconds(30));

        var stats = result.Scenarios[0];
        Assert.InRange(stats.Iterations.Count, 150, 260);
        Assert.InRange(stats.Duration.TotalSeconds, 1.5, 2.6);
        Assert.Contains(result.Notes, n => n.Contains("cancelled"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    private sealed record StatusCountLite(string Code, bool IsError, long Count)
    {
        public static StatusCountLite Of(ChatLoad.LoadEngine.Results.StatusCount s) => new(s.StatusCode, s.IsError, s.Count);
    }
}
