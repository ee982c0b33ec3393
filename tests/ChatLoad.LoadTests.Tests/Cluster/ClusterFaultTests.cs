using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadTests.Scenarios;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadTests.Tests.Scenarios;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.Cluster;

/// <summary>What goes wrong in a cluster and how the run says so: an agent killed mid-run, an agent of another build.
/// Each test has its own NATS server and agents, since these tests break them.</summary>
[Collection(RealServerCollection.Name)]
public sealed class ClusterFaultTests
{
    [Fact]
    public async Task An_agent_killed_mid_run_is_reported_lost_with_what_it_contributed()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var server = await ServerProcess.StartAsync("async");
        await using var keeps = await AgentProcess.StartAsync(nats.Url, "keeps", "127.0.0.5");
        await using var dies = await AgentProcess.StartAsync(nats.Url, "dies", "127.0.0.6");
        string folder = Path.Combine(Path.GetTempPath(), "chatload-cluster-tests", Guid.NewGuid().ToString("N"));
        int metricsPort = NatsServerProcess.FreePort();
        var console = new StringWriter();
        var run = LoadTestApp.RunAsync(
        [
            "--scenario", "room-chat", "--target", server.Target, "--clients", "40", "--rate", "80", "--set", "room-size=4",
            "--duration", "8s", "--cluster", nats.Url, "--agents", "2", "--agent-timeout", "2s",
            "--report-dir", folder, "--report-format", "json", "--metrics-port", metricsPort.ToString(),
        ], ChatScenarios.All, new LoadTestAppOptions { Output = TextWriter.Synchronized(console), HandleCtrlC = false });

        await WaitForIterationsAsync(metricsPort, run, atLeast: 100);
        dies.Kill();
        int exit = await run;
        try
        {
            Assert.True(exit == 1, $"a lost agent makes the run's exit code 1, got {exit}\n{console}");
            Assert.Contains("cluster: agent dies lost at", console.ToString());
            var result = RunResultJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(folder, "result.json")));
            var summary = Assert.IsType<ClusterSummary>(result.Cluster);
            var lost = summary.Agents.Single(a => a.Name == "dies");
            Assert.Equal("lost", lost.Status);
            Assert.NotNull(lost.LostAtSeconds);
            var part = Assert.Single(lost.Contributions);
            Assert.True(part.Partial);
            Assert.True(part.Ok > 0, "the lost agent's iterations until it died are in the report");
            Assert.Equal("completed", summary.Agents.Single(a => a.Name == "keeps").Status);
            Assert.Contains(result.Thresholds, t => !t.Passed && t.Scenario == "cluster" && t.Expression == "agent dies");
            // Its part is in the merge: the merged iterations are both agents'.
            var kept = summary.Agents.Single(a => a.Name == "keeps").Contributions.Single();
            Assert.Equal(kept.Ok + part.Ok, result.Scenarios.Single().Iterations.OkCount);
            Assert.Contains(result.Notes, n => n.Contains("agent dies was lost at", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_agent_of_another_build_is_refused_at_the_start_with_both_versions_named()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var connection = await ClusterConnection.ConnectAsync(nats.Url, "fake-old-agent", CancellationToken.None);
        // An agent from an older build answers the roll call with its own protocol version.
        var hello = new AgentHello
        {
            Name = "old",
            Protocol = ClusterProtocol.Version + 1,
            EngineVersion = "0.0.1+old",
            Capacity = new AgentCapacityReport(2, 20_000, 19_744, []),
            TimestampFrequency = TimeProvider.System.TimestampFrequency,
        };
        using var stop = new CancellationTokenSource();
        await using var rollCall = await connection.ListenAsync(ClusterProtocol.Discover, stop.Token);
        var answering = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in rollCall.Msgs.ReadAllAsync(stop.Token)) await ClusterConnection.ReplyAsync(message, hello);
            }
            catch (OperationCanceledException)
            {
            }
        });

        var console = new StringWriter();
        int exit = await LoadTestApp.RunAsync(
        [
            "--scenario", "ping-pong", "--clients", "2", "--duration", "1s", "--cluster", nats.Url, "--agents", "1", "--agent-wait", "2s",
            "--report-dir", Path.Combine(Path.GetTempPath(), "chatload-cluster-tests", Guid.NewGuid().ToString("N")),
        ], ChatScenarios.All, new LoadTestAppOptions { Output = TextWriter.Synchronized(console), HandleCtrlC = false });
        stop.Cancel();
        await answering;

        Assert.True(exit == 3, $"nothing can run without a compatible agent: exit 3, got {exit}\n{console}");
        string output = console.ToString();
        Assert.Contains($"refused agent old speaks cluster protocol {ClusterProtocol.Version + 1}, this build speaks {ClusterProtocol.Version}", output);
        Assert.Contains("0 of 1 agents ready", output);
    }

    [Fact]
    public async Task An_agent_refuses_a_coordinator_of_another_build()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var agent = await AgentProcess.StartAsync(nats.Url, "current", "127.0.0.7");
        await using var connection = await ClusterConnection.ConnectAsync(nats.Url, "fake-new-coordinator", CancellationToken.None);
        var assignment = new RunAssignment
        {
            RunId = "rtest",
            Protocol = ClusterProtocol.Version + 1,
            EngineVersion = "9.9.9+new",
            TestName = "t",
            AgentIndex = 0,
            Agents = [],
            Scenarios = [],
            Engine = new ChatLoad.LoadEngine.EngineOptions(),
            Timing = new ClusterTiming(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)),
        };

        var reply = await connection.RequestAsync<RunAssignment, AssignReply>(ClusterProtocol.ToAgent("current", "assign"), assignment,
            TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Contains($"the coordinator speaks cluster protocol {ClusterProtocol.Version + 1}, this build speaks {ClusterProtocol.Version}", reply.Reason);
        Assert.False(agent.HasExited, "a refused assignment leaves the agent serving");
    }

    private static async Task WaitForIterationsAsync(int port, Task run, double atLeast)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!run.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                var samples = PrometheusTextParser.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"), out _);
                if (samples.Where(s => s.Name == "chatload_generator_iterations_total").Sum(s => s.Value) >= atLeast) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the run never reached its load");
    }
}
