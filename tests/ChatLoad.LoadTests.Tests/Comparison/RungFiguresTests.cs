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

    [Fact]
    public void Throughput_counts_only_the_measured_seconds_not_the_warm_up()
    {
        // Counters count from init, warm-up included: 1 s of warm-up at 9,000 deliveries/s, then 2 measured seconds.
        var result = SyntheticRuns.Result(delivered: 27_000, expected: 27_000, seconds: 2);
        var scenario = result.Scenarios[0] with
        {
            TimeSeries =
            [
                new() { Second = 1, Metrics = new Dictionary<string, double> { ["messages delivered"] = 18_000 } },
                new() { Second = 2, Metrics = new Dictionary<string, double> { ["messages delivered"] = 27_000 } },
            ],
        };
        var f = RungFigures.From(result with { Scenarios = [scenario] }, Rung, null, null);
        Assert.Equal(9_000, f.Throughput);
        Assert.Equal(20.0 / 100 / 9_000 * 1e6, f.CpuPerDeliveryUs!.Value, 3); // 20% of a core over 9,000 deliveries/s
    }

    [Fact]
    public void A_connect_storm_reads_its_rate_over_the_storm_not_over_the_hold_that_follows()
    {
        var storm = new RungSpec("connect-storm", 2_000, TimeSpan.FromSeconds(2), Rate: 1_000);
        var result = SyntheticRuns.Result(scenario: "connect-storm", ok: 2_000, seconds: 5, withE2e: false);
        var scenario = result.Scenarios[0] with
        {
            Counters = [],
            TimeSeries = [new() { Second = 1, Ok = 1_000 }, new() { Second = 2, Ok = 1_000 }, new() { Second = 3 }, new() { Second = 4 }, new() { Second = 5 }],
        };
        var f = RungFigures.From(result with { Scenarios = [scenario] }, storm, null, null);
        Assert.Equal(1_000, f.Throughput);
        Assert.Equal("connects/s", f.ThroughputUnit);
        Assert.Equal("connect + register", f.LatencySource);
    }

    [Fact]
    public void Every_client_that_could_not_connect_is_explained_by_a_reason_or_said_to_have_none()
    {
        var result = SyntheticRuns.Result(connectFailures: 763);
        var scenario = result.Scenarios[0] with
        {
            Counters = [.. result.Scenarios[0].Counters, new("setup failed: server full", "clients", 551), new("setup failed: refused", "clients", 200)],
        };
        var f = RungFigures.From(result with { Scenarios = [scenario] }, Rung, null, null);
        Assert.Equal("setup failures: server full 551, refused 200, 12 without a recorded reason", f.SetupFailures);
    }

    [Fact]
    public void The_generator_is_saturated_when_its_busiest_seconds_reach_90_percent_not_when_it_was_merely_late()
    {
        var busy = SyntheticRuns.Result(seconds: 2) with { Generator = new() { Samples = [new(1, 20, 1, 0, 4), new(2, 95, 1, 0, 4), new(3, 93, 1, 0, 4)] } };
        var f = RungFigures.From(busy, Rung, null, null);
        Assert.True(f.GeneratorSaturated);
        Assert.Equal(94, f.GeneratorCpuPercent, 6);

        var late = SyntheticRuns.Result(seconds: 2) with { Generator = new() { Samples = [new(1, 13, 400, 0, 4)], Warnings = ["Generator timers fired late (p99 400 ms)"] } };
        Assert.False(RungFigures.From(late, Rung, null, null).GeneratorSaturated);
    }
}
