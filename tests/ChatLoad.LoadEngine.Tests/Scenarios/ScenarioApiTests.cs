using System.Collections.Concurrent;
using ChatLoad.LoadEngine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ChatLoad.LoadEngine.Tests.Scenarios;

/// <summary>The scenario API in NBomber's shape: what a context carries, custom metrics made with <see cref="Metric"/>,
/// thresholds built in code, the client pool.</summary>
public class ScenarioApiTests
{
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task A_context_numbers_invocations_from_one_clears_iteration_data_and_keeps_instance_data_per_copy()
    {
        var time = FakeClock.NewTime();
        var invocations = new ConcurrentBag<long>();
        var dataLeftOver = 0;
        var perCopyCounts = new ConcurrentDictionary<int, int>();
        ScenarioInfo? seen = null;
        var scenario = Scenario.Create("ctx", async context =>
        {
            seen ??= context.ScenarioInfo;
            invocations.Add(context.InvocationNumber);
            if (context.Data.Count > 0) Interlocked.Increment(ref dataLeftOver);
            await Step.Run("first", context, () => { context.Data["user"] = "u1"; return ValueTask.FromResult(Response.Ok()); });
            await Step.Run("second", context, () => ValueTask.FromResult(context.Data["user"] is "u1" ? Response.Ok() : Response.Fail("lost data")));
            int mine = context.ScenarioInstanceData.TryGetValue("count", out var c) ? (int)c + 1 : 1;
            context.ScenarioInstanceData["count"] = mine;
            perCopyCounts[context.ScenarioInfo.InstanceNumber] = mine;
            await Task.Delay(TimeSpan.FromMilliseconds(100), context.Time, context.ScenarioCancellationToken);
            return Response.Ok();
        }).WithLoadSimulations(Simulation.KeepConstant(2, TimeSpan.FromSeconds(2)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Equal(1, invocations.Min());
        Assert.Equal(invocations.Count, invocations.Max());
        Assert.Equal(0, dataLeftOver);
        Assert.Equal(0, result.Scenarios[0].Steps.Single(s => s.Name == "second").FailCount);
        // Each copy counted its own iterations: the two counts add up to every iteration run.
        Assert.Equal([0, 1], perCopyCounts.Keys.Order());
        Assert.Equal(invocations.Count, perCopyCounts.Values.Sum());
        Assert.Equal("ctx", seen!.ScenarioName);
        Assert.Equal(TimeSpan.FromSeconds(2), seen.ScenarioDuration);
        Assert.Matches("^ctx_[01]$", seen.InstanceId);
    }

    [Fact]
    public async Task Metrics_made_with_Metric_and_registered_in_init_reach_the_result_and_thresholds()
    {
        var time = FakeClock.NewTime();
        var sent = Metric.CreateCounter("sent", unitOfMeasure: "msg");
        var users = Metric.CreateGauge("users", unitOfMeasure: "users");
        var scenario = Scenario.Create("metrics", context =>
            {
                sent.Add(2);
                users.Set(7);
                return ValueTask.FromResult(Response.Ok());
            })
            .WithInit(context =>
            {
                context.RegisterMetric(sent);
                context.RegisterMetric(users);
                context.RegisterMetric(sent); // the same instance again is harmless
                Assert.Same(sent, context.Metrics.Counter("sent"));
                return Task.CompletedTask;
            })
            .WithLoadSimulations(Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)))
            .WithThresholds(Threshold.Create("counter:sent == 40"), Threshold.Create("gauge:users:max == 7"));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var counter = result.Scenarios[0].Counters.Single(c => c.Name == "sent");
        Assert.Equal((40, "msg"), (counter.Value, counter.Unit));
        Assert.True(result.AllThresholdsPassed, string.Join("; ", result.Thresholds.Select(t => t.Message)));
    }

    [Fact]
    public async Task Registering_a_second_metric_under_a_taken_name_fails_the_init_with_the_name()
    {
        var time = FakeClock.NewTime();
        var scenario = Scenario.Create("clash", _ => ValueTask.FromResult(Response.Ok()))
            .WithInit(context =>
            {
                context.Metrics.Counter("sent");
                context.RegisterMetric(Metric.CreateCounter("sent"));
                return Task.CompletedTask;
            })
            .WithLoadSimulations(Simulation.Inject(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time);

        var result = await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        var init = Assert.Single(result.Thresholds, t => !t.Passed);
        Assert.Contains("a counter named 'sent' is already registered", init.Message);
    }

    [Fact]
    public async Task The_logger_of_a_scenario_writes_under_the_scenario_name()
    {
        var time = FakeClock.NewTime();
        var logged = new ConcurrentQueue<string>();
        using var loggers = new ListLoggerFactory(logged);
        var scenario = Scenario.Create("talky", context =>
            {
                if (context.InvocationNumber == 1) context.Logger.LogInformation("first invocation of {Copy}", context.ScenarioInfo.InstanceId);
                return ValueTask.FromResult(Response.Ok());
            })
            .WithInit(context => { context.Logger.LogWarning("init says hello"); return Task.CompletedTask; })
            .WithLoadSimulations(Simulation.Inject(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var runner = new LoadRunner(FakeClock.Options(), time, loggers);

        await FakeClock.DriveAsync(time, runner.RunAsync(new LoadRunRequest { Scenarios = [scenario] }), ClockStep, TimeSpan.FromSeconds(30));

        Assert.Contains("talky: init says hello", logged);
        Assert.Contains(logged, l => l.StartsWith("talky: first invocation of talky_", StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_threshold_built_in_code_is_the_step_expression()
    {
        Assert.Equal("step:login:p99 < 200ms", Threshold.Create("login", "p99 < 200ms").Expression);
        var error = Assert.Throws<FormatException>(() => Threshold.Create("p99 < fast"));
        Assert.Contains("p99 < fast", error.Message);
    }

    [Fact]
    public async Task The_client_pool_spreads_instances_over_its_clients_and_disposes_them()
    {
        var pool = new ClientPool<DisposableClient>();
        Assert.Throws<InvalidOperationException>(() => pool.GetClient(0));
        var clients = Enumerable.Range(0, 3).Select(_ => new DisposableClient()).ToList();
        foreach (var client in clients) pool.AddClient(client);

        Assert.Equal([clients[0], clients[1], clients[2], clients[0]], Enumerable.Range(0, 4).Select(pool.GetClient));
        await pool.DisposeClientsAsync();
        Assert.All(clients, c => Assert.True(c.Disposed));
        Assert.Equal(0, pool.Count);
    }

    private sealed class DisposableClient : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    private sealed class ListLoggerFactory(ConcurrentQueue<string> lines) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();
        public void Dispose() { }

        private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}
