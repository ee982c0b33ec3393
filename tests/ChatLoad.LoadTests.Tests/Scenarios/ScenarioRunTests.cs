using ChatLoad.LoadClient.Tests.Support;
using ChatLoad.LoadTests.Scenarios;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadTests.Tests.Support;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Tests.Scenarios;

/// <summary>The scenarios at small scale (tens of clients, a few seconds) through the real engine against the real
/// server, in both connection models. They assert correctness (no loss, no disorder, slow consumers dropped, no
/// leaked sessions), never speed.</summary>
[Collection(RealServerCollection.Name)]
public sealed class ScenarioRunTests
{
    public static TheoryData<string> Modes => new() { "threads", "async" };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Room_chat_at_low_load_loses_nothing_and_keeps_order(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(RoomChatScenario.Name, server,
            "--clients", "20", "--rate", "100", "--duration", "3s", "--set", "room-size=5");

        AssertNoLossNoDisorder(run);
        // Every message reaches the 4 other members of its room.
        Assert.Equal(4 * run.Scenario.Iterations.OkCount, run.Counter(ChatMetricNames.MessagesExpected));
        // Latency is sampled only while the engine measures (deliveries still landing during clean are counted, not timed).
        long timed = run.Histogram(ChatMetricNames.EndToEndLatency)!.Count;
        Assert.True(timed > 0 && timed <= run.Counter(ChatMetricNames.MessagesDelivered), run.Explain());
        AssertServerFiguresScraped(run);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Private_chat_at_low_load_loses_nothing_and_keeps_order(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(PrivateChatScenario.Name, server, "--clients", "20", "--rate", "100", "--duration", "3s");

        AssertNoLossNoDisorder(run);
        Assert.Equal(run.Scenario.Iterations.OkCount, run.Counter(ChatMetricNames.MessagesExpected));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Ping_pong_gets_every_reply_in_order(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(PingPongScenario.Name, server, "--clients", "10", "--duration", "3s");

        AssertNoLossNoDisorder(run);
        Assert.Equal(run.Scenario.Iterations.OkCount, run.Counter(ChatMetricNames.MessagesDelivered));
    }

    // The threads case was skipped after two CI runs in which the threads server once kept a slow reader past the
    // run and once dropped a healthy client. The cause, read in that code (4 runs of it here did not reproduce
    // it): the sending client's thread wrote to every recipient itself, so a slow reader held it for up to the
    // 2 s send timeout (late deliveries to everyone after it in the fan-out, slow readers dropped late), and any
    // blocking send that took over 2 s dropped its client, a healthy reader that the loaded generator did not
    // drain for 2 s included. Both are gone: every client has its own writer thread, and both models drop a
    // client only when its SendQ overflows.
    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Slow_consumers_are_dropped_while_the_others_lose_nothing(string mode)
    {
        // Default server limits. 4 channels of 5, one slow member each; every slow client is in all 4 channels and is
        // sent all 800 messages/s (~0.36 MB/s), so it overflows the server's kernel send buffer (megabytes on
        // loopback) and then its SendQ within seconds, while each healthy member gets a quarter of that.
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(SlowConsumerScenario.Name, server,
            // 22 s: a slow reader is dropped only once megabytes of kernel buffer and then its SendQ have filled;
            // at 14 s one of four was still connected in a CI run on this 2-core machine.
            "--clients", "20", "--rate", "800", "--duration", "22s",
            "--set", "room-size=5", "--set", "slow-fraction=0.2", "--set", "slow-after=0.5s", "--set", "padding=380");

        Assert.True(run.Counter(SlowConsumerScenario.SlowConsumers) == 4, run.Explain());
        Assert.True(run.Counter(SlowConsumerScenario.SlowDropped) == 4, run.Explain());
        Assert.Equal(0, run.Counter(SlowConsumerScenario.SlowNotDropped));
        AssertNoLossNoDisorder(run);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Churn_sessions_succeed_and_leave_no_registered_client_behind(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(ChurnScenario.Name, server, "--clients", "4", "--duration", "3s");

        Assert.True(run.Scenario.Iterations.FailCount == 0 && run.Scenario.Iterations.OkCount > 0, run.Explain());
        AssertNoLossNoDisorder(run);
        var metrics = new RecordingMetrics();
        await using var scraper = new ServerMetricsScraper(server.MetricsAddress, metrics, TimeProvider.System);
        ServerSnapshot? last = null;
        bool drained = await RecordingObserver.EventuallyAsync(() =>
        {
            last = scraper.ScrapeOnceAsync(CancellationToken.None).GetAwaiter().GetResult();
            return last is { ClientsRegistered: 0, ConnectionsOpen: 0 };
        });
        Assert.True(drained, $"server still holds {last?.ClientsRegistered} registered clients, {last?.ConnectionsOpen} connections\n{run.Explain()}");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Connect_storm_registers_every_client(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(ConnectStormScenario.Name, server, "--clients", "50", "--rate", "50", "--set", "hold=1s");

        Assert.True(run.Scenario.Iterations.FailCount == 0 && run.Scenario.Iterations.OkCount >= 45, run.Explain());
        Assert.Contains(run.Scenario.Steps, s => s.Name == "connect");
        Assert.Contains(run.Scenario.Steps, s => s.Name == "register");
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Idle_hold_keeps_everyone_connected_and_answers_pings(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);
        var run = await SuiteRun.RunAsync(IdleHoldScenario.Name, server, "--clients", "50", "--rate", "10", "--duration", "2s");

        Assert.True(run.Scenario.Iterations.FailCount == 0 && run.Scenario.Iterations.OkCount > 0, run.Explain());
        Assert.Equal(0, run.Counter(ChatMetricNames.UnexpectedDisconnects));
        Assert.NotNull(run.Gauge(ServerGaugeNames.ThreadsPerClient));
        Assert.NotNull(run.Gauge(ServerGaugeNames.RssKbPerClient));
        if (mode == "threads")
            Assert.True(run.Gauge(ServerGaugeNames.ThreadsPerClient)!.Last >= 0.9, run.Explain()); // one thread per client
        else
            Assert.True(run.Gauge(ServerGaugeNames.ThreadsPerClient)!.Last < 0.5, run.Explain());
        Assert.Equal(0, run.ExitCode);
    }

    /// <summary>Every message expected arrived, once, in each sender's order, and the run passed.</summary>
    internal static void AssertNoLossNoDisorder(SuiteRun.Outcome run)
    {
        Assert.True(run.Counter(ChatMetricNames.MessagesExpected) > 0, run.Explain());
        Assert.True(run.Counter(ChatMetricNames.Lost) == 0, run.Explain());
        Assert.True(run.Counter(ChatMetricNames.OutOfOrder) == 0, run.Explain());
        Assert.True(run.Counter(ChatMetricNames.Duplicates) == 0, run.Explain());
        Assert.Equal(run.Counter(ChatMetricNames.MessagesExpected), run.Counter(ChatMetricNames.MessagesDelivered));
        Assert.Equal(0, run.ExitCode);
    }

    private static void AssertServerFiguresScraped(SuiteRun.Outcome run)
    {
        Assert.True(run.Gauge(ServerGaugeNames.Threads) is { Max: > 0 }, run.Explain());
        Assert.True(run.Gauge(ServerGaugeNames.RssMb) is { Max: > 0 }, run.Explain());
        Assert.NotNull(run.Gauge(ServerGaugeNames.CpuPercent));
        Assert.True(run.Gauge(ServerGaugeNames.Connections) is { Max: >= 20 }, run.Explain());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealServerCollection
{
    public const string Name = "real server, one at a time";
}
