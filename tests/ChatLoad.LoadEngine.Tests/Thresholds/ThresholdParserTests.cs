using ChatLoad.LoadEngine.Thresholds;

namespace ChatLoad.LoadEngine.Tests.Thresholds;

public class ThresholdParserTests
{
    [Theory]
    [InlineData("p99 < 50ms", null, null, "P99", "Less", 50)]
    [InlineData("p99.9<=2s", null, null, "P999", "LessOrEqual", 2000)]
    [InlineData("mean < 500us", null, null, "Mean", "Less", 0.5)]
    [InlineData("p50 < 3", null, null, "P50", "Less", 3)]
    [InlineData("fail% < 1", null, null, "FailPercent", "Less", 1)]
    [InlineData("fail% < 1%", null, null, "FailPercent", "Less", 1)]
    [InlineData("rps >= 1000", null, null, "Rps", "GreaterOrEqual", 1000)]
    [InlineData("ping-pong/step:send:p50 <= 5ms", "ping-pong", "send", "P50", "LessOrEqual", 5)]
    [InlineData("dropped == 0", null, null, "Dropped", "Equal", 0)]
    [InlineData("bytes_in != 0", null, null, "BytesIn", "NotEqual", 0)]
    public void Parses_stats_operators_and_units(string text, string? scenario, string? step, string stat, string op, double limit)
    {
        var spec = ThresholdParser.ParseSpec(text);
        Assert.Equal((scenario, step, stat, op), (spec.Scenario, spec.Step, spec.Stat.ToString(), spec.Operator.ToString()));
        Assert.Equal(limit, spec.Limit, 9);
    }

    [Fact]
    public void Parses_custom_metric_stats()
    {
        var counter = ThresholdParser.ParseSpec("counter:lost == 0");
        Assert.Equal((ThresholdStat.Counter, "lost"), (counter.Stat, counter.MetricName));
        var gauge = ThresholdParser.ParseSpec("chat/gauge:connected clients:min >= 100");
        Assert.Equal(("chat", ThresholdStat.Gauge, "connected clients", GaugeAggregate.Min), (gauge.Scenario, gauge.Stat, gauge.MetricName, gauge.Aggregate));
        var histogram = ThresholdParser.ParseSpec("hist:delivery:p99 < 0.1s");
        Assert.Equal((ThresholdStat.Histogram, "delivery", ThresholdStat.P99, 100d), (histogram.Stat, histogram.MetricName, histogram.LatencyStat, histogram.Limit));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("p99 50ms", "no comparison operator")]
    [InlineData("p98 < 50ms", "unknown stat 'p98'")]
    [InlineData("p99 < fast", "is not a number")]
    [InlineData("p99 < 5min", "unknown unit 'min'")]
    [InlineData("rps > 10ms", "not a latency")]
    [InlineData("< 5", "nothing before the operator")]
    [InlineData("p99 <", "no number after the operator")]
    [InlineData("step:send < 5", "step:NAME:stat")]
    [InlineData("step:send:counter:x == 0", "cannot be given for a step")]
    [InlineData("gauge:g:median > 1", "unknown gauge aggregate")]
    [InlineData("hist:h < 1", "hist:NAME:p99")]
    public void Bad_thresholds_are_rejected_naming_the_bad_part(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Threshold.Create(text));
        Assert.Contains(reason, error.Message);
    }
}
