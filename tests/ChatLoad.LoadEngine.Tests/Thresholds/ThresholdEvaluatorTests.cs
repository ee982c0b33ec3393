using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Thresholds;

namespace ChatLoad.LoadEngine.Tests.Thresholds;

public class ThresholdEvaluatorTests
{
    private static readonly ScenarioResult Chat = new()
    {
        Name = "chat",
        Duration = TimeSpan.FromSeconds(10),
        Iterations = new StepStats
        {
            Name = "chat", OkCount = 990, FailCount = 10, Rps = 100,
            Latency = new LatencyResult { Name = "chat", Count = 990, P50Ms = 2, P99Ms = 40, MaxMs = 90 },
        },
        Steps = [new StepStats { Name = "send", OkCount = 1000, Latency = new LatencyResult { Name = "send", P50Ms = 1.5 } }],
        Counters = [new CounterResult("lost", "", 3)],
        Gauges = [new GaugeResult("clients", "", 90, 99, 100, 100)],
        Histograms = [new LatencyResult { Name = "delivery", P99Ms = 12 }],
        DroppedIterations = 0,
    };

    [Theory]
    [InlineData("p99 < 50ms", true, 40)]
    [InlineData("p99 < 40ms", false, 40)]
    [InlineData("p99 <= 40ms", true, 40)]
    [InlineData("max < 0.05s", false, 90)]
    [InlineData("fail% < 1", false, 1)]
    [InlineData("fail% <= 1", true, 1)]
    [InlineData("rps >= 100", true, 100)]
    [InlineData("step:send:p50 <= 1.5ms", true, 1.5)]
    [InlineData("counter:lost == 0", false, 3)]
    [InlineData("gauge:clients:min >= 100", false, 90)]
    [InlineData("gauge:clients >= 100", true, 100)]
    [InlineData("hist:delivery:p99 < 15ms", true, 12)]
    [InlineData("dropped == 0", true, 0)]
    public void Thresholds_pass_and_fail_on_the_actual_value(string expression, bool passed, double actual)
    {
        var result = ThresholdEvaluator.Evaluate(new Threshold(expression), Chat);
        Assert.Equal((passed, actual), (result.Passed, result.ActualValue));
        Assert.Equal("chat", result.Scenario);
        Assert.Contains(passed ? "passed" : "FAILED", result.Message);
    }

    [Theory]
    [InlineData("step:recv:p50 < 1ms", "no step named 'recv'")]
    [InlineData("counter:delivered > 0", "no counter named 'delivered'")]
    [InlineData("gauge:threads < 10", "no gauge named 'threads'")]
    [InlineData("hist:e2e:p99 < 1", "no histogram named 'e2e'")]
    public void A_missing_stat_fails_instead_of_passing_silently(string expression, string message)
    {
        var result = ThresholdEvaluator.Evaluate(new Threshold(expression), Chat);
        Assert.False(result.Passed);
        Assert.Null(result.ActualValue);
        Assert.Contains(message, result.Message);
    }

    [Fact]
    public void Run_level_thresholds_apply_to_the_named_scenario_or_to_all()
    {
        var other = Chat with { Name = "other", Iterations = Chat.Iterations with { Latency = Chat.Iterations.Latency with { P99Ms = 80 } } };
        var results = ThresholdEvaluator.EvaluateAll([Chat, other],
            new Dictionary<string, IReadOnlyList<Threshold>> { ["chat"] = [new Threshold("p50 < 5ms")] },
            [new Threshold("p99 < 50ms"), new Threshold("other/p99 < 100ms")]);

        Assert.Equal(
            [("chat", "p50 < 5ms", true), ("chat", "p99 < 50ms", true), ("other", "p99 < 50ms", false), ("other", "other/p99 < 100ms", true)],
            results.Select(r => (r.Scenario, r.Expression, r.Passed)));
    }
}
