using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class SpreadTests
{
    [Fact]
    public void Odd_count_takes_the_middle_value()
    {
        var s = Spread.Of([5, 1, 3])!;
        Assert.Equal(3, s.Median);
        Assert.Equal(1, s.Min);
        Assert.Equal(5, s.Max);
        Assert.Equal(3, s.Count);
        Assert.True(s.HasRange);
    }

    [Fact]
    public void Even_count_averages_the_two_middle_values()
    {
        var s = Spread.Of([4, 1, 2, 10])!;
        Assert.Equal(3, s.Median);
        Assert.Equal(1, s.Min);
        Assert.Equal(10, s.Max);
    }

    [Fact]
    public void Non_finite_values_are_left_out_and_nothing_gives_null()
    {
        Assert.Null(Spread.Of([]));
        Assert.Null(Spread.Of([double.NaN]));
        var s = Spread.Of([double.NaN, 7, double.PositiveInfinity])!;
        Assert.Equal(7, s.Median);
        Assert.False(s.HasRange);
    }

    [Fact]
    public void Point_aggregates_only_repeats_that_succeeded()
    {
        var point = new PointSummary("room-chat", "threads", 1_000,
        [
            SyntheticRuns.Ok("threads", 1_000, SyntheticRuns.Result(p99: 10), repeat: 1),
            SyntheticRuns.Ok("threads", 1_000, SyntheticRuns.Result(p99: 30), repeat: 2),
            SyntheticRuns.Failed("threads", 1_000, "timed out", repeat: 3),
        ]);
        var p99 = point.Of(Figure.P99)!;
        Assert.Equal(20, p99.Median);
        Assert.Equal(10, p99.Min);
        Assert.Equal(30, p99.Max);
        Assert.Equal(2, p99.Count);
        Assert.False(point.IsFailure); // one bad repeat of three is shown, not a verdict
        Assert.Equal("2/3 ok", CellText.Status(point));
        Assert.Equal("20 (10–30)", CellText.Of(p99, Figure.P99));
    }

    [Fact]
    public void Point_with_most_repeats_failed_is_a_failure()
    {
        var point = new PointSummary("room-chat", "threads", 1_000,
        [
            SyntheticRuns.Ok("threads", 1_000, SyntheticRuns.Result(), repeat: 1),
            SyntheticRuns.Failed("threads", 1_000, "Server full", repeat: 2),
            SyntheticRuns.Failed("threads", 1_000, "Server full", repeat: 3),
        ]);
        Assert.True(point.IsFailure);
        Assert.Equal("Server full", point.FirstFailure!.Failure);
    }
}
