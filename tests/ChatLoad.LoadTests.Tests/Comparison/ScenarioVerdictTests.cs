using ChatLoad.LoadTests.Comparison;
using static ChatLoad.LoadTests.Tests.Comparison.SyntheticRuns;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class ScenarioVerdictTests
{
    private static readonly string[] Servers = ["threads", "async"];

    [Fact]
    public void Threads_matching_then_falling_behind_on_p99_is_told_with_the_ratio_and_the_thread_counts()
    {
        var table = Table(
            Ok("threads", 100, Result(p99: 2, threads: 130)), Ok("async", 100, Result(p99: 2, threads: 20)),
            Ok("threads", 1_000, Result(p99: 6, threads: 1_030)), Ok("async", 1_000, Result(p99: 5, threads: 21)),
            Ok("threads", 2_000, Result(p99: 31, threads: 2_004, rssMb: 310)), Ok("async", 2_000, Result(p99: 10, threads: 21, rssMb: 95)));

        var verdict = ScenarioVerdict.For(table, Servers);

        Assert.Equal(1_000, verdict.MatchedUpTo);
        Assert.Equal(2_000, verdict.FellBehindAt);
        Assert.Null(verdict.OtherFellBehindAt);
        Assert.Empty(verdict.FailedAt);
        Assert.Contains("threads matched async up to 1,000 clients", verdict.Text);
        Assert.Contains("p99 was 3.1× async's (31 ms vs 10 ms)", verdict.Text);
        Assert.Contains("2,004 threads and 310 MB RSS", verdict.Text);
        Assert.Contains("21 threads and 95 MB RSS", verdict.Text);
    }

    [Fact]
    public void A_failure_is_told_at_its_client_count_with_its_error()
    {
        var table = Table(
            Ok("threads", 10_000, Result()), Ok("async", 10_000, Result()),
            Failed("threads", 16_000, "1.2% of 16,000 iterations failed (192 × refused: ERROR :Server full)"),
            Ok("async", 16_000, Result()));

        var verdict = ScenarioVerdict.For(table, Servers);

        Assert.Equal(16_000, verdict.FailedAt["threads"]);
        Assert.False(verdict.FailedAt.ContainsKey("async"));
        Assert.Contains("threads failed at 16,000 clients (async held there): ", verdict.Text);
        Assert.Contains("ERROR :Server full", verdict.Text);
        Assert.Contains("kept up with async at every client count both completed (up to 10,000)", verdict.Text);
    }

    [Fact]
    public void Loss_outranks_latency_as_the_reason_a_mode_fell_behind()
    {
        var table = Table(
            Ok("threads", 500, Result(p99: 40, expected: 10_000, lost: 300)), Ok("async", 500, Result(p99: 8, expected: 10_000, lost: 0)));

        var verdict = ScenarioVerdict.For(table, Servers);

        Assert.Null(verdict.MatchedUpTo);
        Assert.Equal(500, verdict.FellBehindAt);
        Assert.Contains("it lost 3% of messages vs 0%", verdict.Text);
    }

    [Fact]
    public void Latency_gaps_below_the_floor_are_noise_not_findings()
    {
        var table = Table(Ok("threads", 100, Result(p99: 9)), Ok("async", 100, Result(p99: 0.5)));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Null(verdict.FellBehindAt);
        Assert.Equal(100, verdict.MatchedUpTo);
    }

    [Fact]
    public void When_the_second_mode_is_the_slower_one_the_verdict_says_so()
    {
        var table = Table(Ok("threads", 100, Result(p99: 6)), Ok("async", 100, Result(p99: 20)));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Null(verdict.FellBehindAt);
        Assert.Equal(100, verdict.OtherFellBehindAt);
        Assert.Contains("async fell behind threads at 100 clients: its p99 was 3.3× threads'", verdict.Text);
    }

    [Fact]
    public void Throughput_shortfall_is_a_finding()
    {
        var table = Table(Ok("threads", 1_000, Result(delivered: 5_000)), Ok("async", 1_000, Result(delivered: 10_000)));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Equal(1_000, verdict.FellBehindAt);
        Assert.Contains("throughput was 0.5× async's (500 vs 1,000 messages/s)", verdict.Text);
    }

    [Fact]
    public void One_mode_alone_is_described_on_its_own()
    {
        var table = ScenarioTable.From("room-chat", ["threads"], [Ok("threads", 100, Result(p99: 2)), Ok("threads", 1_000, Result(p99: 12, threads: 1_020))]);
        var verdict = ScenarioVerdict.For(table, ["threads"]);
        Assert.Equal("threads only: p99 went from 2 ms at 100 clients to 12 ms at 1,000; at 1,000 clients the server used 1,020 threads and 60 MB RSS.", verdict.Text);
    }

    [Fact]
    public void A_repeat_that_failed_among_good_ones_is_mentioned_but_is_not_the_verdict()
    {
        var table = Table(
            Ok("threads", 100, Result(), repeat: 1), Failed("threads", 100, "timed out", repeat: 2), Ok("threads", 100, Result(), repeat: 3),
            Ok("async", 100, Result(), repeat: 1), Ok("async", 100, Result(), repeat: 2), Ok("async", 100, Result(), repeat: 3));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Empty(verdict.FailedAt);
        Assert.Contains("threads at 100 clients failed 1 of 3 repeats", verdict.Text);
    }

    [Fact]
    public void P99_from_too_few_samples_is_not_compared_and_the_verdict_says_why()
    {
        var table = Table(Ok("threads", 50, Result(p99: 370, delivered: 40)), Ok("async", 50, Result(p99: 58, delivered: 40)));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Null(verdict.FellBehindAt);
        Assert.Contains("p99 not compared at 50 clients: under 100 latency samples", verdict.Text);
    }

    [Fact]
    public void A_point_where_the_generator_saturated_is_left_out_and_said_to_be()
    {
        var saturated = Result(p99: 60) with
        {
            Generator = new() { CpuPercentMean = 97, Samples = [new(1, 97, 1, 0, 4), new(2, 98, 1, 0, 4)], Warnings = ["Generator CPU was at 90% or more"] },
        };
        var table = Table(Ok("threads", 100, Result(p99: 2)), Ok("async", 100, Result(p99: 2)), Ok("threads", 1_000, saturated), Ok("async", 1_000, Result(p99: 20)));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Null(verdict.FellBehindAt);
        Assert.Contains("not compared at 1,000 clients: the load generator saturated in the threads run", verdict.Text);
    }

    [Fact]
    public void Late_iterations_with_the_generator_idle_are_the_servers_doing_and_still_compared()
    {
        var late = Result(p99: 60) with { Generator = new() { CpuPercentMean = 13, Samples = [new(1, 13, 400, 0, 4)], Warnings = ["Generator timers fired late (p99 400 ms)"] } };
        var table = Table(Ok("threads", 100, late), Ok("async", 100, Result(p99: 20)));
        var verdict = ScenarioVerdict.For(table, Servers);
        Assert.Equal(100, verdict.FellBehindAt);
        Assert.Contains("its p99 was 3× async's (60 ms vs 20 ms)", verdict.Text);
    }

    [Fact]
    public void Every_figure_is_weighed_p50_and_max_and_failures_too()
    {
        var table = Table(Ok("threads", 100, Result(p50: 30, p99: 40, fail: 50, errorStatus: "timeout", errorMessage: "no PONG")), Ok("async", 100, Result(p50: 3, p99: 35)));
        var comparison = PointComparison.Of(table.Point("threads", 100)!, table.Point("async", 100)!, VerdictTolerances.Default)!;
        Assert.Contains(comparison.Findings, f => f.Contains("of its iterations failed") && f.Contains("timeout"));
        Assert.Contains(comparison.Findings, f => f.StartsWith("its p50 was 10×"));
        Assert.DoesNotContain(comparison.Findings, f => f.StartsWith("its p99"));
    }

    [Fact]
    public void Reference_servers_are_shown_beside_but_the_verdict_is_ours()
    {
        var outcomes = new[]
        {
            Ok("threads", 100, Result(p99: 31, threads: 130)), Ok("async", 100, Result(p99: 10, threads: 20)), Ok("ngircd", 100, Result(p99: 1)),
        };
        var table = ScenarioTable.From("room-chat", ["threads", "async", "ngircd"], outcomes);
        var verdict = ScenarioVerdict.For(table, ["threads", "async", "ngircd"]);
        Assert.Equal(100, verdict.FellBehindAt);
        Assert.Contains("threads trailed async", verdict.Text);
        Assert.DoesNotContain("ngircd", verdict.Text);
    }

    [Fact]
    public void A_median_gap_whose_repeat_ranges_overlap_is_noise()
    {
        var table = Table(
            Ok("threads", 20, Result(p99: 26), repeat: 1), Ok("threads", 20, Result(p99: 731), repeat: 2),
            Ok("async", 20, Result(p99: 42), repeat: 1), Ok("async", 20, Result(p99: 59), repeat: 2));
        Assert.Null(ScenarioVerdict.For(table, Servers).FellBehindAt);

        var apart = Table(
            Ok("threads", 20, Result(p99: 300), repeat: 1), Ok("threads", 20, Result(p99: 731), repeat: 2),
            Ok("async", 20, Result(p99: 42), repeat: 1), Ok("async", 20, Result(p99: 59), repeat: 2));
        Assert.Equal(20, ScenarioVerdict.For(apart, Servers).FellBehindAt);
    }
}
