using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class ComparisonArgsTests
{
    [Fact]
    public void Defaults_are_the_quick_preset_for_both_modes()
    {
        var o = ComparisonArgs.Parse([]).Options!;
        Assert.Equal(ComparisonPreset.Quick, o.Preset);
        Assert.Equal(["threads", "async"], o.Modes);
        Assert.Null(o.Scenarios);
        Assert.True(o.PinCores);
    }

    [Fact]
    public void Options_are_read()
    {
        var o = ComparisonArgs.Parse(["compare", "--full", "--repeat", "2", "--modes", "async", "--scenarios", "idle-hold,ping-pong", "--out", "x", "--no-pin", "--max-minutes", "7.5"]).Options!;
        Assert.Equal(ComparisonPreset.Full, o.Preset);
        Assert.Equal(2, o.Repeat);
        Assert.Equal(["async"], o.Modes);
        Assert.Equal(["idle-hold", "ping-pong"], o.Scenarios);
        Assert.Equal("x", o.OutputDirectory);
        Assert.False(o.PinCores);
        Assert.Equal(TimeSpan.FromMinutes(7.5), o.MaxWallTime);
    }

    [Theory]
    [InlineData("unknown option '--fast'", "--fast")]
    [InlineData("--repeat needs a whole number from 1 to 20", "--repeat", "0")]
    [InlineData("--repeat needs a whole number from 1 to 20", "--repeat")]
    [InlineData("unknown mode 'fibers' (known: threads, async)", "--modes", "threads,fibers")]
    [InlineData("unknown scenario 'chat'", "--scenarios", "chat")]
    [InlineData("--smoke and --full exclude each other", "--smoke", "--full")]
    [InlineData("--max-minutes needs a number", "--max-minutes", "-1")]
    public void Bad_input_is_a_clear_error(string expected, params string[] args)
    {
        var result = ComparisonArgs.Parse(args);
        Assert.Null(result.Options);
        Assert.StartsWith(expected, result.Error);
    }
}
