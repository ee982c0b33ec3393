using ChatLoad.LoadTests.Comparison;
using ChatLoad.LoadTests.Scenarios;
using ChatLoad.LoadTests.Tests.Scenarios;
using ChatLoad.LoadTests.Tests.Support;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Tests.Comparison.Peers;

/// <summary>
/// Every reference server, started by the comparison's own launcher (config rendered, foreground, registration
/// probe), passes the load suite's room-chat, ping-pong, idle-hold and connect-storm at small scale: what the
/// comparison's preset asks of it works. ngIRCd and InspIRCd come from Debian's packages, which scripts/test.sh
/// installs through scripts/lib/ensure-deps.sh; the Python servers run on Debian's /usr/bin/python3.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class ReferenceServerSuiteTests
{
    public static TheoryData<string> Servers => new(ReferenceServers.Names);

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Room_chat_loses_nothing_and_keeps_order(string name)
    {
        await using var peer = await StartAsync(name);
        var run = await SuiteRun.RunAsync(RoomChatScenario.Name, name, Target(peer), null,
            "--clients", "20", "--rate", "100", "--duration", "2s", "--set", "room-size=5");

        ScenarioRunTests.AssertNoLossNoDisorder(run);
        Assert.Equal(4 * run.Scenario.Iterations.OkCount, run.Counter(ChatMetricNames.MessagesExpected));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Ping_pong_gets_every_reply(string name)
    {
        await using var peer = await StartAsync(name);
        var run = await SuiteRun.RunAsync(PingPongScenario.Name, name, Target(peer), null, "--clients", "10", "--duration", "2s");

        ScenarioRunTests.AssertNoLossNoDisorder(run);
        Assert.Equal(run.Scenario.Iterations.OkCount, run.Counter(ChatMetricNames.MessagesDelivered));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Idle_hold_keeps_everyone_and_its_process_figures_are_read_from_proc(string name)
    {
        await using var peer = await StartAsync(name);
        await using (var sampler = peer.Server.StartSampling())
        {
            var run = await SuiteRun.RunAsync(IdleHoldScenario.Name, name, Target(peer), null, "--clients", "50", "--rate", "10", "--duration", "2s");

            Assert.True(run.Scenario.Iterations.FailCount == 0 && run.Scenario.Iterations.OkCount > 0, run.Explain());
            Assert.Equal(0, run.Counter(ChatMetricNames.UnexpectedDisconnects));
            Assert.Equal(0, run.ExitCode);
            var seen = sampler.Result();
            Assert.True(seen.MaxRssMb > 0, $"no RSS sampled for {name}");
            // The threads server's model shows in its thread count; every other one is a single event loop.
            if (name == "py-threads")
                Assert.True(seen.MaxThreads >= 50, $"py-threads held 50 clients with {seen.MaxThreads} threads");
            else
                Assert.True(seen.MaxThreads is >= 1 and < 10, $"{name} held 50 clients with {seen.MaxThreads} threads");
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Connect_storm_registers_every_client(string name)
    {
        await using var peer = await StartAsync(name);
        // 30 at 30/s stays under ngIRCd's listen backlog of 10 connects in flight; InspIRCd's 1 Hz registration
        // tick is well inside the load client's 10 s reply timeout.
        var run = await SuiteRun.RunAsync(ConnectStormScenario.Name, name, Target(peer), null, "--clients", "30", "--rate", "30", "--set", "hold=1s");

        Assert.True(run.Scenario.Iterations.FailCount == 0 && run.Scenario.Iterations.OkCount >= 27, run.Explain());
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Stops_gracefully_on_SIGTERM_to_its_pid(string name)
    {
        await using var peer = await StartAsync(name);
        var stop = await peer.Server.StopAsync(TimeSpan.FromSeconds(10));

        Assert.True(stop.WasRunning && !stop.Killed, $"{name}: {stop.Describe()}");
        Assert.False(peer.Server.IsAlive);
    }

    private static string Target(RunningPeer peer) => $"127.0.0.1:{peer.Server.Port}";

    /// <summary>A started reference server and the scratch folder holding its config and log, both gone on dispose.</summary>
    private sealed record RunningPeer(ChatLoad.LoadTests.Comparison.RunningServer Server, string Folder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } // a log still being closed: /tmp keeps it
        }
    }

    private static async Task<RunningPeer> StartAsync(string name)
    {
        var reference = ReferenceServers.Find(name)!;
        Assert.True(reference.FindProgram() is not null,
            $"{reference.Program} is not installed: scripts/test.sh installs it (scripts/lib/ensure-deps.sh, ensure_peer_packages)");
        string folder = Path.Combine(Path.GetTempPath(), "chatload-peer-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var server = await ReferenceServerLauncher.StartAsync(reference, cores: null, Path.Combine(folder, "server.log"),
            Path.Combine(folder, "config"), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        Assert.Null(server.MetricsPort);
        Assert.True(server.IsAlive);
        return new RunningPeer(server, folder);
    }
}
