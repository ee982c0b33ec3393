using ChatLoad.LoadClient.Tracking;
using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadTests.Scenarios;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadTests.Tests.Scenarios;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.Cluster;

/// <summary>nats-server, the async server and three agents on 127.0.0.2-4, shared by the tests of one class.</summary>
public sealed class ThreeAgentCluster : IAsyncLifetime
{
    internal NatsServerProcess Nats { get; private set; } = null!;
    internal ServerProcess Server { get; private set; } = null!;
    internal IReadOnlyList<AgentProcess> Agents { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Nats = await NatsServerProcess.StartAsync();
        Server = await ServerProcess.StartAsync("async");
        Agents = await Task.WhenAll(new[] { "a", "b", "c" }.Select((name, i) => AgentProcess.StartAsync(Nats.Url, name, $"127.0.0.{i + 2}")));
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in Agents) await agent.DisposeAsync();
        await Server.DisposeAsync();
        await Nats.DisposeAsync();
    }
}

/// <summary>
/// One run over three agent processes, as the issue's check asks, at CI scale: room-chat (rooms with members on every
/// agent, so most deliveries cross agents) and ping-pong at once. The merged result must be the agents' sum exactly,
/// cross-agent deliveries tracked with nothing lost, and the live view must have covered every agent.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class ClusterRunTests(ThreeAgentCluster cluster) : IClassFixture<ThreeAgentCluster>
{
    [Fact]
    public async Task Three_agents_make_one_run_whose_merge_is_exactly_their_sum()
    {
        string folder = Path.Combine(Path.GetTempPath(), "chatload-cluster-tests", Guid.NewGuid().ToString("N"));
        int metricsPort = NatsServerProcess.FreePort();
        var console = new StringWriter();
        var run = LoadTestApp.RunAsync(
        [
            "--scenario", "room-chat,ping-pong", "--target", cluster.Server.Target, "--clients", "60", "--rate", "150", "--set", "room-size=6",
            "--duration", "6s", "--set", $"metrics={cluster.Server.MetricsAddress}", "--cluster", cluster.Nats.Url, "--agents", "3",
            "--report-dir", folder, "--report-format", "json,md,txt", "--metrics-port", metricsPort.ToString(),
        ], ChatScenarios.All, new LoadTestAppOptions { Output = TextWriter.Synchronized(console), HandleCtrlC = false });
        var live = await WatchLiveMetricsAsync(metricsPort, run);
        int exit = await run;
        try
        {
            Assert.True(exit == 0, $"exit {exit}\n{console}");
            var merged = Read(Path.Combine(folder, "result.json"));
            var agents = new[] { "a", "b", "c" }.Select(a => Read(Path.Combine(folder, "agents", a, "result.json"))).ToList();

            var summary = Assert.IsType<ClusterSummary>(merged.Cluster);
            Assert.Equal(["a", "b", "c"], summary.Agents.Select(a => a.Name));
            Assert.All(summary.Agents, a =>
            {
                Assert.Equal("completed", a.Status);
                Assert.True(a.SameClockAsCoordinator, "agents on this machine read its one monotonic clock");
                Assert.InRange(a.ClockUncertaintyMs, 0, 50);
            });

            foreach (var scenario in merged.Scenarios)
            {
                var parts = agents.Select(a => a.Scenarios.Single(s => s.Name == scenario.Name)).ToList();
                Assert.Equal(parts.Sum(p => p.Iterations.OkCount), scenario.Iterations.OkCount);
                Assert.Equal(parts.Sum(p => p.Iterations.FailCount), scenario.Iterations.FailCount);
                Assert.Equal(parts.Sum(p => p.Iterations.Latency.Count), scenario.Iterations.Latency.Count);
                foreach (var counter in scenario.Counters)
                    Assert.Equal(parts.Sum(p => p.Counters.FirstOrDefault(c => c.Name == counter.Name)?.Value ?? 0), counter.Value);
                foreach (var histogram in scenario.Histograms)
                    Assert.Equal(parts.Sum(p => p.Histograms.FirstOrDefault(h => h.Name == histogram.Name)?.Count ?? 0), histogram.Count);
                var agentMaxima = parts.Select(p => (int)p.Gauges.Single(g => g.Name == ChatMetricNames.ConnectedClients).Max).ToList();
                Assert.True(agentMaxima.Sum() == 60,
                    $"{scenario.Name}: at most {string.Join(" + ", agentMaxima)} clients connected on the agents, not 20 each; " +
                    $"lost {Counter(scenario, ChatMetricNames.Lost)}, iterations ok {scenario.Iterations.OkCount} failed {scenario.Iterations.FailCount}\n{console}");
                Assert.Equal(60, (int)scenario.Gauges.Single(g => g.Name == ChatMetricNames.ConnectedClients).Max);
                Assert.Equal(0, Counter(scenario, ChatMetricNames.Lost));
                Assert.Equal(Counter(scenario, ChatMetricNames.MessagesExpected), Counter(scenario, ChatMetricNames.MessagesDelivered));
                Assert.True(scenario.Iterations.OkCount > 0, $"{scenario.Name} ran nothing\n{console}");
            }

            var room = merged.Scenarios.Single(s => s.Name == RoomChatScenario.Name);
            // Rooms of 6 over 3 agents: each receiver hears 5 others, 4 of them on the other two agents.
            Assert.Equal(4 * Counter(room, ChatMetricNames.MessagesDelivered), 5 * Counter(room, ChatMetricNames.CrossAgentDeliveries));
            Assert.Equal(5 * room.Iterations.OkCount, Counter(room, ChatMetricNames.MessagesExpected));
            Assert.Equal(0, Counter(room, ChatMetricNames.ClockCorrectedLatencies));
            Assert.Equal(150 * 6, room.Iterations.OkCount);
            // Only the first agent scraped the server, and its footprint divides by the cluster's 60 clients, not its own 20.
            Assert.Contains(room.Notes, n => n.StartsWith("agent a: server with 60 clients held", StringComparison.Ordinal));

            Assert.Contains("cluster: 3/3 agents reporting", console.ToString());
            Assert.Equal(["a", "b", "c"], live.AgentsUp.Order());
            Assert.True(live.MaxIterations > 0, "the metrics endpoint showed no iterations while the run went");
            var text = await File.ReadAllTextAsync(Path.Combine(folder, "report.md"));
            Assert.Contains("## Cluster", text);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Compare_with_cluster_runs_each_rung_on_the_agents_and_merges_it()
    {
        // The builds beside this test, which the agents run too: a coordinator of another build would be refused
        // (the Release builds the other comparison tests use may be older than this one outside scripts/test.sh).
        string serverDll = Path.Combine(AppContext.BaseDirectory, "ChatLoad.Server.dll");
        string loadDll = Path.Combine(AppContext.BaseDirectory, "ChatLoad.LoadTests.dll");
        string output = Path.Combine(Path.GetTempPath(), "chatload-cluster-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            int exit = await ChatLoad.LoadTests.Comparison.ComparisonCommand.RunAsync(
                ["--smoke", "--modes", "async", "--scenarios", "idle-hold", "--out", output, "--server-dll", serverDll, "--load-dll", loadDll,
                 "--cluster", cluster.Nats.Url, "--agents", "3", "--max-time", "3m"]);

            Assert.Equal(0, exit);
            string run = Path.Combine(output, "runs", "async", "idle-hold", "50-clients-r1");
            Assert.True(File.Exists(Path.Combine(run, "result.json")),
                $"the rung wrote no result:\n{await File.ReadAllTextAsync(Path.Combine(output, "summary.csv"))}\n{ReadIfThere(Path.Combine(run, "console.txt"))}\n" +
                string.Join("\n", cluster.Agents.Select(a => $"--- agent {a.Name}:\n{a.Log}")));
            var result = Read(Path.Combine(run, "result.json"));
            var summary = Assert.IsType<ClusterSummary>(result.Cluster);
            Assert.Equal(3, summary.Agents.Count);
            Assert.Equal(50, summary.Agents.Sum(a => a.Contributions.Single().Clients));
            Assert.All(new[] { "a", "b", "c" }, a => Assert.True(File.Exists(Path.Combine(run, "agents", a, "result.json"))));
            Assert.Equal(50, (int)result.Scenarios.Single().Gauges.Single(g => g.Name == ChatMetricNames.ConnectedClients).Max);
            Assert.Contains("load on 3 agents over", await File.ReadAllTextAsync(Path.Combine(output, "comparison.json")));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    private static long Counter(ScenarioResult scenario, string name) => scenario.Counters.Single(c => c.Name == name).Value;

    private static string ReadIfThere(string path) => File.Exists(path) ? File.ReadAllText(path) : $"({path} missing)";

    private static RunResult Read(string path) => RunResultJson.Deserialize(File.ReadAllText(path));

    private sealed record LiveView(IReadOnlyList<string> AgentsUp, double MaxIterations);

    /// <summary>Scrapes the coordinator's --metrics-port every 200 ms while the run goes: the live figures are the
    /// whole cluster's and name every agent.</summary>
    private static async Task<LiveView> WatchLiveMetricsAsync(int port, Task run)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var up = new HashSet<string>();
        double max = 0;
        while (!run.IsCompleted)
        {
            try
            {
                var samples = PrometheusTextParser.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"), out _);
                foreach (var s in samples.Where(s => s.Name == "chatload_cluster_agent_up" && s.Value == 1)) up.Add(s.Labels["agent"]);
                max = Math.Max(max, samples.Where(s => s.Name == "chatload_generator_iterations_total").Sum(s => s.Value));
            }
            catch (HttpRequestException)
            {
                // not listening yet, or already stopped
            }
            await Task.WhenAny(run, Task.Delay(200));
        }
        return new LiveView(up.ToList(), max);
    }
}
