using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Tests.Support;

namespace ChatLoad.LoadEngine.Tests.Cli;

/// <summary>Mistakes found before anything runs: a threshold naming a metric the scenario does not record (exit 2),
/// and a target that does not answer (exit 3, no table of zeros, no reports).</summary>
public class PreflightTests
{
    private static readonly ScenarioFactory Declared = new("declared", "records 'hits' and 'e2e latency'", _ =>
        Scenario.Create("declared", _ => ValueTask.FromResult(Response.Ok()))
            .WithInit(context => { context.Metrics.Counter("hits"); return Task.CompletedTask; })
            .WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromMilliseconds(200)))
            .WithDeclaredMetrics(new ScenarioMetricNames { Counters = ["hits"], Histograms = ["e2e latency"], Steps = ["send"] }));

    private static readonly ScenarioFactory Unreachable = new("unreachable", "its target never answers", _ =>
        Scenario.Create("unreachable", _ => ValueTask.FromResult(Response.Ok()))
            .WithInit(_ => throw new TargetUnreachableException("127.0.0.1:1: refused"))
            .WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromMilliseconds(200))));

    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        int exit = await LoadTestApp.RunAsync(args, [Declared, Unreachable], new LoadTestAppOptions { Output = output, HandleCtrlC = false });
        return (exit, output.ToString());
    }

    [Theory]
    [InlineData("counter:hitz == 0", "names counter 'hitz', which declared does not record (known: hits); did you mean 'hits'?")]
    [InlineData("hist:e2e latncy:p99 < 50ms", "did you mean 'e2e latency'?")]
    [InlineData("gauge:server rss MB < 100", "names gauge 'server rss MB'")]
    [InlineData("step:sned:p99 < 5ms", "names step 'sned'")]
    public async Task A_threshold_on_a_metric_the_scenario_does_not_record_is_a_usage_error(string threshold, string message)
    {
        using var folder = new TempFolder();
        var (exit, output) = await Run("--scenario", "declared", "--threshold", threshold, "--report-dir", folder.File("never"));
        Assert.Equal(2, exit);
        Assert.Contains(message, output);
        Assert.False(Directory.Exists(folder.File("never")) && Directory.EnumerateFiles(folder.File("never")).Any());
    }

    [Fact]
    public async Task Thresholds_on_declared_names_are_accepted()
    {
        using var folder = new TempFolder();
        var (exit, output) = await Run("--scenario", "declared", "--threshold", "counter:hits == 0", "--report-dir", folder.Path, "--report-format", "json");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task A_target_that_does_not_answer_exits_3_with_one_clear_reason_and_no_figures()
    {
        using var folder = new TempFolder();
        var (exit, output) = await Run("--scenario", "unreachable", "--report-dir", folder.Path);
        Assert.Equal(3, exit);
        Assert.Contains("the target did not answer: 127.0.0.1:1: refused", output);
        Assert.DoesNotContain("thresholds broken", output);
        Assert.Empty(Directory.EnumerateFiles(folder.Path));
    }
}
