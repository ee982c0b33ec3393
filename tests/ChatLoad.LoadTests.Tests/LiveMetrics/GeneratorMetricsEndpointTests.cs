using ChatLoad.LoadEngine;
using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.LiveMetrics;

/// <summary><c>--metrics-port</c> on a single-process run: while it runs, /metrics holds its per-second figures in the
/// Prometheus text format (read back with the suite's own parser, the one that scrapes the server).</summary>
public sealed class GeneratorMetricsEndpointTests
{
    [Fact]
    public async Task A_running_test_serves_its_live_figures_for_prometheus()
    {
        var tick = Scenario.Create("tick", async context =>
            {
                await Task.Delay(5, context.ScenarioCancellationToken);
                context.Metrics.Counter("ticks").Add();
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.KeepConstant(2, TimeSpan.FromSeconds(3)));
        int port = NatsServerProcess.FreePort();
        string folder = Path.Combine(Path.GetTempPath(), "chatload-metrics-port-" + Guid.NewGuid().ToString("N"));
        var console = new StringWriter();
        var run = LoadTestApp.RunAsync(["--metrics-port", port.ToString(), "--report-dir", folder, "--report-format", "json"],
            [ScenarioFactory.From(tick)], new LoadTestAppOptions { Output = TextWriter.Synchronized(console), HandleCtrlC = false });

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        double okSeen = 0, ticksSeen = 0;
        int malformed = -1;
        bool single = false, notFound = false;
        while (!run.IsCompleted)
        {
            try
            {
                var samples = PrometheusTextParser.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"), out malformed);
                okSeen = Math.Max(okSeen, samples.Where(s => s.Name == "chatload_generator_iterations_total" && s.Labels["result"] == "ok").Sum(s => s.Value));
                ticksSeen = Math.Max(ticksSeen, samples.Where(s => s.Name == "chatload_generator_metric" && s.Labels["name"] == "ticks").Sum(s => s.Value));
                single |= samples.Any(s => s.Name == "chatload_generator_info" && s.Labels["mode"] == "single");
                notFound |= (await http.GetAsync($"http://127.0.0.1:{port}/other")).StatusCode == System.Net.HttpStatusCode.NotFound;
            }
            catch (HttpRequestException)
            {
            }
            await Task.WhenAny(run, Task.Delay(200));
        }
        int exit = await run;
        Directory.Delete(folder, recursive: true);

        Assert.True(exit == 0, console.ToString());
        Assert.Contains($"live metrics: http://127.0.0.1:{port}/metrics", console.ToString());
        Assert.True(okSeen > 0, "the endpoint showed no iterations while the run went");
        Assert.True(ticksSeen > 0, "the endpoint showed no custom counter");
        Assert.True(single);
        Assert.True(notFound, "another path is 404");
        Assert.Equal(0, malformed);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"http://127.0.0.1:{port}/metrics")); // closed with the run
    }
}
