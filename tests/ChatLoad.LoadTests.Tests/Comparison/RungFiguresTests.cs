using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class RungFiguresTests
{
    private static readonly RungSpec Rung = new("room-chat", 1_000, TimeSpan.FromSeconds(10));

    [Fact]
    public void Chat_figures_come_from_the_suites_counters_histogram_and_server_gauges()
    {
        var result = SyntheticRuns.Result(p50: 2, p99: 9, delivered: 50_000, expected: 50_200, lost: 200, threads: 1_030, rssMb: 140, cpu: 35, seconds: 10);
        var f = RungFigures.From(result, Rung, new ProcessFigures(25, 40, 0), sampled: null);

        Assert.Equal(5_000, f.Throughput);                 // delivered / measured seconds
        Assert.Equal("messages/s", f.ThroughputUnit);
        Assert.Equal(2, f.P50Ms);
        Assert.Equal(9, f.P99Ms);                          // the e2e histogram, not the iteration latency
        Assert.Equal("end-to-end delivery", f.LatencySource);
        Assert.Equal(100.0 * 200 / 50_200, f.LossPercent!.Value, 6);
        Assert.Equal(1_030, f.ServerThreads);              // gauge max; name matched whatever its case
        Assert.Equal(140, f.ServerRssMb);
        Assert.Equal(35, f.ServerCpuPercent);              // gauge mean
        Assert.Equal((140 - 40) * 1024.0 / 1_000, f.RssPerClientKb!.Value, 6);
        Assert.Equal("metrics endpoint", f.ServerFiguresSource);
    }

    [Fact]
    public void Without_server_gauges_the_comparisons_own_proc_samples_are_used()
    {
        var result = SyntheticRuns.Result(withServerGauges: false, withE2e: false, p99: 8);
        var f = RungFigures.From(result, Rung, serverIdle: null, new SampledServerFigures(MaxThreads: 1_012, MaxRssMb: 99, MeanCpuPercent: 12));
        Assert.Equal(1_012, f.ServerThreads);
        Assert.Equal(99, f.ServerRssMb);
        Assert.Equal(12, f.ServerCpuPercent);
        Assert.Equal("/proc sampling", f.ServerFiguresSource);
        Assert.Equal(4, f.P99Ms);                          // iteration latency (synthetic: half the e2e figure)
        Assert.Null(f.RssPerClientKb);                     // no idle baseline, no per-client figure
    }

    [Fact]
    public void Errors_are_summarised_by_their_most_frequent_status()
    {
        var result = SyntheticRuns.Result(ok: 900, fail: 100, errorStatus: "refused", errorMessage: "ERROR :Server full");
        var f = RungFigures.From(result, Rung, null, null);
        Assert.Equal(10, f.FailPercent, 6);
        Assert.Equal("100 × refused: ERROR :Server full", f.TopError);
    }

    [Fact]
    public void Clients_that_could_not_connect_are_counted_with_the_scenarios_reason()
    {
        var result = SyntheticRuns.Result(connectFailures: 1_764, setupNote: "setup failures: server-full 1764");
        var f = RungFigures.From(result, Rung, null, null);
        Assert.Equal(1_764, f.ConnectFailures);
        Assert.Equal("setup failures: server-full 1764", f.SetupFailures);
    }
}
