using ChatLoad.CommandLine;

namespace ChatLoad.CommandLine.Tests;

/// <summary>The one duration grammar every ChatLoad program reads.</summary>
public class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("250us", 0.25)]
    [InlineData("00:00:02", 2000)]
    [InlineData("01:30:00", 5_400_000)]
    public void Durations_need_a_unit(string text, double ms)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(ms, duration.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("2")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("5sec")]
    [InlineData("")]
    [InlineData(null)]
    public void Bad_durations_are_rejected(string? text) => Assert.False(Duration.TryParse(text, out _));

    [Fact]
    public void A_bare_number_is_told_to_add_a_unit()
    {
        var e = Assert.Throws<FormatException>(() => Duration.Parse("2", "--send-timeout"));
        Assert.Equal("--send-timeout: '2' has no unit: write 2s, 2ms or 2m (a bare number is not a duration)", e.Message);
    }

    [Theory]
    [InlineData(2_000, "2s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(0, "0s")]
    public void Format_gives_text_that_parses_back(double ms, string text)
    {
        Assert.Equal(text, Duration.Format(TimeSpan.FromMilliseconds(ms)));
        Assert.True(Duration.TryParse(text, out var back));
        Assert.Equal(ms, back.TotalMilliseconds, 6);
    }
}
