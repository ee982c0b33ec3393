using ChatLoad.LoadEngine.Diff;
using ChatLoad.LoadTests.Comparison;
using static ChatLoad.LoadTests.Tests.Comparison.SyntheticRuns;

namespace ChatLoad.LoadTests.Tests.Comparison;

/// <summary><c>compare --baseline DIR --fail-if RULE</c>: point-by-point deltas and regression rules.</summary>
public class BaselineTests
{
    private static ComparisonResults Results(params RungOutcome[] outcomes) => new()
    {
        Plan = new ComparisonPlan(ComparisonPreset.Quick, ["threads", "async"], outcomes.Select(o => o.Rung).ToArray(), 1),
        Environment = new RunEnvironment { Machine = "m", OperatingSystem = "os", Runtime = ".NET", Cores = 2, Pinning = CpuPinning.Decide(false, 2, false) },
        Outcomes = outcomes,
        Started = DateTimeOffset.UnixEpoch,
        WallTime = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void A_planted_latency_regression_breaks_the_rule_and_an_unchanged_run_does_not()
    {
        var before = Results(Ok("async", 100, Result(p99: 10)), Probe("async", 1_000, 4_000, Result(p99: 5), 1), Probe("async", 1_000, 8_000, Result(p99: 90), 2));
        var slower = Results(Ok("async", 100, Result(p99: 13)), Probe("async", 1_000, 4_000, Result(p99: 5), 1), Probe("async", 1_000, 8_000, Result(p99: 90), 2));
        var rules = new[] { RegressionRule.Parse("p99 > +10%"), RegressionRule.Parse("throughput < -5%") };

        var same = BaselineComparison.Compute(before, before, rules, "old");
        Assert.False(same.Regressed);

        var regressed = BaselineComparison.Compute(before, slower, rules, "old");
        Assert.True(regressed.Regressed);
        var broken = Assert.Single(regressed.Rules, r => r.Broken);
        Assert.Contains("room-chat async 100 clients: p99 latency 10 → 13 (+30%", broken.Message);
    }

    [Fact]
    public void A_lower_sustained_rate_is_a_throughput_regression()
    {
        var before = Results(Probe("async", 1_000, 4_000, Result(p99: 5), 1), Probe("async", 1_000, 8_000, Result(p99: 90), 2));
        var after = Results(Probe("async", 1_000, 4_000, Result(p99: 80), 1), Probe("async", 1_000, 2_000, Result(p99: 5), 2));

        var diff = BaselineComparison.Compute(before, after, [RegressionRule.Parse("throughput < -5%")], "old");

        Assert.True(diff.Regressed);
        Assert.Contains(diff.Rows, r => r.Figure == BaselineComparison.SustainedFigure && r.Baseline == 36_000 && r.Current == 18_000);
    }

    [Fact]
    public void A_rule_that_matches_nothing_is_an_error_not_a_pass()
    {
        var before = Results(Ok("async", 100, Result(p99: 10)));
        Assert.Throws<FormatException>(() => BaselineComparison.Compute(before, before, [RegressionRule.Parse("ping-pong/p99 > +10%")], "old"));
        Assert.Throws<FormatException>(() => BaselineComparison.Compute(before, before, [RegressionRule.Parse("counter:lost > +0")], "old"));
    }
}
