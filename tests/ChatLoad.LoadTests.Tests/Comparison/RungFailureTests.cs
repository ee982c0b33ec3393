using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class RungFailureTests
{
    [Fact]
    public void A_clean_run_did_not_fail()
    {
        Assert.Null(RungFailure.Classify(0, new RungFigures { Iterations = 1_000 }, clients: 1_000));
    }

    [Fact]
    public void A_broken_threshold_is_the_reason_when_the_cli_exits_non_zero()
    {
        var f = new RungFigures { BrokenThresholds = ["counter:lost == 0 (FAILED: actual 312, limit == 0)"] };
        Assert.Equal("exit code 1: threshold broken: counter:lost == 0 (FAILED: actual 312, limit == 0)", RungFailure.Classify(1, f, 100));
        Assert.Equal("load generator exited with code 3", RungFailure.Classify(3, new RungFigures(), 100));
    }

    [Fact]
    public void Clients_refused_beyond_one_percent_are_a_failure_with_the_reason()
    {
        var wall = new RungFigures { ConnectFailures = 1_764, SetupFailures = "setup failures: server-full 1764" };
        Assert.Equal("1,764 of 17,000 clients could not connect (setup failures: server-full 1764)", RungFailure.Classify(0, wall, 17_000));
        Assert.Null(RungFailure.Classify(0, new RungFigures { ConnectFailures = 10 }, 17_000)); // 0.06%: noted, not a failure
    }

    [Fact]
    public void Failed_iterations_beyond_one_percent_are_a_failure()
    {
        var f = new RungFigures { Failures = 50, Iterations = 1_000, FailPercent = 5, TopError = "50 × timeout: no PONG in 10 s" };
        Assert.Equal("5% of 1,000 iterations failed (50 × timeout: no PONG in 10 s)", RungFailure.Classify(0, f, 100));
    }
}
