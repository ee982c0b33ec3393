using ChatLoad.LoadTests.Comparison;
using static ChatLoad.LoadTests.Tests.Comparison.SyntheticRuns;

namespace ChatLoad.LoadTests.Tests.Comparison;

/// <summary>The saturation search's judgement of each probe and the point it finds, from outcomes alone.</summary>
public class SaturationTests
{
    [Fact]
    public void A_probe_holds_only_within_the_slo_with_nothing_lost()
    {
        Assert.Equal(ProbeVerdict.Held, ProbeJudgement.Of(Probe("async", 100, 1_000, Result(p99: 12), 1), Search).Verdict);
        var (slow, why) = ProbeJudgement.Of(Probe("async", 100, 1_000, Result(p99: 81), 1), Search);
        Assert.Equal((ProbeVerdict.Missed, "p99 81 ms over the 50 ms SLO"), (slow, why));
        Assert.Equal("3 of 10,000 messages lost", ProbeJudgement.Of(Probe("async", 100, 1_000, Result(p99: 5, lost: 3), 1), Search).Reason);
        Assert.Equal(ProbeVerdict.GeneratorBound, ProbeJudgement.Of(Probe("async", 100, 1_000, GeneratorSaturated(Result(p99: 81)), 1), Search).Verdict);
    }

    [Fact]
    public void The_point_is_the_highest_rate_held_with_the_step_that_missed_as_its_reason_and_its_repeats_as_spread()
    {
        var point = SaturationPoint.From("room-chat", "threads", 1_000, Search,
        [
            Probe("threads", 1_000, 1_000, Result(p99: 3), 1), Probe("threads", 1_000, 2_000, Result(p99: 6), 2),
            Probe("threads", 1_000, 4_000, Result(p99: 700), 3), Probe("threads", 1_000, 2_828, Result(p99: 90), 4),
            Probe("threads", 1_000, 2_000, Result(p99: 8), 5, RunPhase.Confirm), Probe("threads", 1_000, 2_000, Result(p99: 7), 6, RunPhase.Confirm),
        ]);

        Assert.Equal(2_000, point.Rate);
        Assert.Equal(18_000, point.OfferedDeliveries);
        Assert.Equal(SaturationBound.ServerLimit, point.Bound);
        Assert.Equal("at 2,828/s p99 90 ms over the 50 ms SLO", point.StopReason);
        Assert.Equal((3, 3), (point.HeldCount, point.AtRate.Count));
        Assert.True(point.Confirmed);
        var p99 = point.Summary.Of(Figure.P99)!;
        Assert.Equal((7, 6, 8), (p99.Median, p99.Min, p99.Max));
    }

    [Fact]
    public void A_rate_that_held_in_fewer_than_half_its_runs_is_the_edge_and_the_point_is_the_rate_below()
    {
        var point = SaturationPoint.From("room-chat", "threads", 100, Search,
        [
            Probe("threads", 100, 2_000, Result(p99: 3), 1), Probe("threads", 100, 4_000, Result(p99: 30), 2),
            Probe("threads", 100, 8_000, Result(p99: 300), 3), Probe("threads", 100, 8_000, Result(p99: 310), 4),
            Probe("threads", 100, 5_657, Result(p99: 80), 5), Probe("threads", 100, 5_657, Result(p99: 40), 6),
            Probe("threads", 100, 5_657, Result(p99: 120), 7, RunPhase.Confirm), Probe("threads", 100, 5_657, Result(p99: 90), 8, RunPhase.Confirm),
            Probe("threads", 100, 4_000, Result(p99: 20), 9, RunPhase.Confirm), Probe("threads", 100, 4_000, Result(p99: 25), 10, RunPhase.Confirm),
        ]);

        Assert.Equal(4_000, point.Rate);
        Assert.True(point.Confirmed);
        Assert.Equal((3, 3), (point.HeldCount, point.AtRate.Count));
        Assert.Equal("at 5,657/s it held in only 1 of 4 runs", point.StopReason);
        Assert.True(point.Summary.Median(Figure.P99) <= Search.SloP99Ms); // the figures at the point agree with "sustained"
    }

    [Fact]
    public void A_saturated_generator_ends_the_search_with_a_lower_bound_not_a_limit()
    {
        var point = SaturationPoint.From("room-chat", "async", 1_000, Search,
        [
            Probe("async", 1_000, 1_000, Result(p99: 3), 1), Probe("async", 1_000, 2_000, GeneratorSaturated(Result(p99: 300)), 2),
        ]);
        Assert.Equal(1_000, point.Rate);
        Assert.Equal(SaturationBound.GeneratorLimit, point.Bound);
        Assert.Equal("≥ ", point.Qualifier);
        Assert.Contains("that probe is left out and this rate is a lower bound", Answer.Why(point));
    }

    [Fact]
    public void Missing_the_first_rate_and_holding_the_cap_are_told_apart()
    {
        var below = SaturationPoint.From("room-chat", "threads", 100, Search, [Probe("threads", 100, 1_000, Result(p99: 300), 1)]);
        Assert.Null(below.Rate);
        Assert.Equal(SaturationBound.BelowFirstRate, below.Bound);
        Assert.Contains("less than 9,000 deliveries/s", Answer.Rate(below));

        var cap = SaturationPoint.From("room-chat", "async", 100, Search, [Probe("async", 100, 16_000, Result(p99: 3), 1)]);
        Assert.Equal(SaturationBound.SearchCap, cap.Bound);
        Assert.StartsWith("≥ 144,000 deliveries/s", Answer.Rate(cap));
    }

    [Fact]
    public void The_answer_says_where_threads_matched_where_it_fell_behind_and_by_how_much()
    {
        var results = Results(
            Probe("threads", 100, 4_000, Result(p99: 4), 1), Probe("threads", 100, 8_000, Result(p99: 300), 2),
            Probe("async", 100, 4_000, Result(p99: 4), 1), Probe("async", 100, 8_000, Result(p99: 90), 2),
            Probe("threads", 1_000, 2_000, Result(p99: 4, threads: 1_030, rssMb: 120), 1), Probe("threads", 1_000, 4_000, Result(p99: 900), 2),
            Probe("async", 1_000, 2_000, Result(p99: 3), 1), Probe("async", 1_000, 4_000, Result(p99: 4, threads: 21, rssMb: 80), 2),
            Probe("async", 1_000, 8_000, Result(p99: 600), 3));

        var answer = Answer.For(results);

        Assert.Equal(100, answer.MatchedUpTo);
        Assert.Equal(1_000, answer.FellBehindFrom);
        Assert.StartsWith("Threads or async? On this machine thread-per-connection is good enough up to 100 busy clients", answer.Headline);
        Assert.Contains("at 1,000 busy clients it sustains 0.5× the load async does", answer.Headline);
        Assert.Contains(answer.Clauses, c => c.StartsWith("In room-chat at 1,000 clients, threads sustained 18,000 deliveries/s") && c.Contains("async 36,000 deliveries/s"));
        Assert.Contains(answer.Clauses, c => c.StartsWith("Cost per client at 1,000 clients (room-chat): threads 1,030 OS threads"));
    }

    [Fact]
    public void A_threads_lower_bound_below_async_is_neither_matching_nor_falling_behind()
    {
        // Seen on this machine: the generator saturated against threads (a line per packet) at a fraction of the
        // load it drove against async, so threads' limit is unknown, and "as much load as async" would be false.
        var results = Results(
            Probe("threads", 100, 2_000, Result(p99: 3), 1), Probe("threads", 100, 4_000, GeneratorSaturated(Result(p99: 5)), 2),
            Probe("async", 100, 2_000, Result(p99: 3), 1), Probe("async", 100, 4_000, Result(p99: 4), 2),
            Probe("async", 100, 8_000, Result(p99: 6), 3), Probe("async", 100, 16_000, Result(p99: 400), 4));

        var answer = Answer.For(results);

        Assert.Null(answer.MatchedUpTo);
        Assert.Null(answer.FellBehindFrom);
        Assert.DoesNotContain("as much load", answer.Headline);
        Assert.DoesNotContain("kept up", answer.Headline);
        Assert.Contains("at 100 busy clients thread-per-connection's limit was not measured", answer.Headline);
        Assert.Contains(answer.Clauses, c => c.StartsWith("In room-chat at 100 clients, threads sustained ≥ 18,000 deliveries/s") && c.Contains("a lower bound"));
    }

    [Fact]
    public void A_wall_is_told_with_every_client_it_cost_and_the_other_model_holding()
    {
        var fleet = Result(scenario: "idle-hold", connectFailures: 763) with { };
        var room = fleet.Scenarios[0];
        var refused = fleet with
        {
            Scenarios = [room with { Counters = [.. room.Counters, new("setup failed: server full", "clients", 551), new("setup failed: refused", "clients", 212)] }],
        };
        var threadsRun = Ok("threads", 16_000, refused, scenario: "idle-hold");
        var failed = threadsRun with { Failure = RungFailure.Classify(0, threadsRun.Figures!, 16_000) };
        var results = Results(failed, Ok("async", 16_000, Result(scenario: "idle-hold", threads: 19, rssMb: 142), scenario: "idle-hold"));

        var answer = Answer.For(results);

        Assert.Equal(16_000, answer.WallAt["threads"]);
        Assert.Contains(answer.Clauses, c => c.Contains("Threads hit a wall at 16,000 clients in idle-hold: 763 of 16,000 clients could not connect (setup failures: server full 551, refused 212)")
                                            && c.Contains("async held all 16,000 there with 19 threads and 142 MB RSS"));
        Assert.Contains("that async passes", answer.Headline);
    }

    private static ComparisonResults Results(params RungOutcome[] outcomes)
    {
        var rungs = outcomes.Select(o => o.Rung with { Rate = o.Rung.Search is null ? o.Rung.Rate : null }).Distinct().ToArray();
        return new ComparisonResults
        {
            Plan = new ComparisonPlan(ComparisonPreset.Quick, ["threads", "async"], rungs, 1) { ConfirmRepeats = 1 },
            Environment = new RunEnvironment { Machine = "m", OperatingSystem = "os", Runtime = ".NET", Cores = 2, Pinning = CpuPinning.Decide(false, 2, false) },
            Outcomes = outcomes,
            Started = DateTimeOffset.UnixEpoch,
            WallTime = TimeSpan.FromMinutes(1),
        };
    }
}
