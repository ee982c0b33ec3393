using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class ComparisonArgsTests
{
    [Fact]
    public void Defaults_are_the_quick_preset_for_both_modes()
    {
        var o = ComparisonArgs.Parse([]).Options!;
        Assert.Equal(ComparisonPreset.Quick, o.Preset);
        Assert.Equal(["threads", "async"], o.Servers);
        Assert.Null(o.Scenarios);
        Assert.True(o.PinCores);
        Assert.Equal(50, o.SloP99Ms);
    }

    [Fact]
    public void Options_are_read()
    {
        var o = ComparisonArgs.Parse(["compare", "--full", "--repeat", "2", "--modes", "async", "--scenarios", "idle-hold,ping-pong", "--out", "x",
            "--no-pin", "--max-time", "7m30s", "--slo", "20ms", "--baseline", "old", "--fail-if", "p99 > +10%", "--fail-if", "throughput < -5%"]).Options!;
        Assert.Equal(ComparisonPreset.Full, o.Preset);
        Assert.Equal(2, o.Repeat);
        Assert.Equal(["async"], o.Servers);
        Assert.Equal(["idle-hold", "ping-pong"], o.Scenarios);
        Assert.Equal("x", o.OutputDirectory);
        Assert.False(o.PinCores);
        Assert.Equal(TimeSpan.FromMinutes(7.5), o.MaxWallTime);
        Assert.Equal(20, o.SloP99Ms);
        Assert.Equal("old", o.Baseline);
        Assert.Equal(["p99 > +10%", "throughput < -5%"], o.FailIf);
    }

    [Theory]
    [InlineData("unknown option '--fast'", "--fast")]
    [InlineData("unknown option '--modse' (did you mean --modes?)", "--modse", "async")]
    [InlineData("--repeat: '0' is not a whole number from 1 to 20", "--repeat", "0")]
    [InlineData("--repeat needs a value", "--repeat")]
    [InlineData("--modes: 'fibers' is unknown (known: threads, async)", "--modes", "threads,fibers")]
    [InlineData("--scenarios: 'chat' is unknown", "--scenarios", "chat")]
    [InlineData("--smoke and --full exclude each other", "--smoke", "--full")]
    [InlineData("--max-time: '7' has no unit", "--max-time", "7")]
    [InlineData("--slo: '50' has no unit", "--slo", "50")]
    [InlineData("--fail-if needs --baseline DIR", "--fail-if", "p99 > +10%")]
    [InlineData("--fail-if: bad rule \"p99 > 10%\"", "--baseline", "x", "--fail-if", "p99 > 10%")]
    [InlineData("--cluster needs --agents K", "--cluster", "nats://127.0.0.1:4222")]
    [InlineData("--agents only applies with --cluster", "--agents", "3")]
    [InlineData("--cluster '127.0.0.1:4222' is not a NATS server address", "--cluster", "127.0.0.1:4222", "--agents", "3")]
    public void Bad_input_is_a_clear_error(string expected, params string[] args)
    {
        var result = ComparisonArgs.Parse(args);
        Assert.Null(result.Options);
        Assert.StartsWith(expected, result.Error);
    }
}
