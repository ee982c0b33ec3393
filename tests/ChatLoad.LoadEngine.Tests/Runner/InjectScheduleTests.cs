using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.Tests.Runner;

public class InjectScheduleTests
{
    [Theory]
    [InlineData(100, 100, 10, 1000)]
    [InlineData(0, 100, 10, 500)]      // ramp up: the triangle under the rate line
    [InlineData(100, 0, 10, 500)]      // ramp down
    [InlineData(50, 150, 2, 200)]
    [InlineData(0, 0, 10, 0)]
    [InlineData(3, 3, 1, 3)]
    public void Total_iterations_are_the_area_under_the_rate(double from, double to, double seconds, long expected) =>
        Assert.Equal(expected, new InjectSchedule(from, to, TimeSpan.FromSeconds(seconds)).TotalIterations);

    [Fact]
    public void Constant_rate_spaces_iterations_evenly_from_zero()
    {
        var schedule = new InjectSchedule(10, 10, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, schedule.OffsetOf(0));
        Assert.Equal(100, schedule.OffsetOf(1).TotalMilliseconds, 6);
        Assert.Equal(900, schedule.OffsetOf(9).TotalMilliseconds, 6);
        Assert.Equal(1, schedule.DueBy(TimeSpan.Zero));
        Assert.Equal(1, schedule.DueBy(TimeSpan.FromMilliseconds(99)));
        Assert.Equal(2, schedule.DueBy(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(10, schedule.DueBy(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Offsets_and_due_counts_agree_for_a_ramp()
    {
        var schedule = new InjectSchedule(0, 1000, TimeSpan.FromSeconds(4));
        for (long k = 0; k < schedule.TotalIterations; k += 37)
        {
            var at = schedule.OffsetOf(k);
            Assert.Equal(k + 1, schedule.DueBy(at + TimeSpan.FromTicks(1)));
        }
        // Half the time gives a quarter of the iterations when ramping from zero.
        Assert.InRange(schedule.DueBy(TimeSpan.FromSeconds(2)), 499, 502);
    }

    [Fact]
    public void Offsets_never_go_backwards()
    {
        var schedule = new InjectSchedule(500, 20, TimeSpan.FromSeconds(3));
        var previous = TimeSpan.Zero;
        for (long k = 0; k < schedule.TotalIterations; k++)
        {
            var at = schedule.OffsetOf(k);
            Assert.True(at >= previous, $"iteration {k} at {at} before {previous}");
            previous = at;
        }
        Assert.True(previous <= TimeSpan.FromSeconds(3));
    }
}
