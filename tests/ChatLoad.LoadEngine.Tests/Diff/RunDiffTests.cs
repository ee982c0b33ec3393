using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Diff;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.SelfTest;
using ChatLoad.LoadEngine.Tests.Reports;
using ChatLoad.LoadEngine.Tests.Support;

namespace ChatLoad.LoadEngine.Tests.Diff;

/// <summary><c>diff A B --fail-if RULE</c>: deltas of two runs and regression rules with an exit code for CI.</summary>
public class RunDiffTests
{
    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        int exit = await LoadTestApp.RunAsync(args, EngineSelfTestScenarios.All, new LoadTestAppOptions { Output = output, HandleCtrlC = false });
        return (exit, output.ToString());
    }

    [Theory]
    [InlineData("e2e p99 > +10%", DiffMetricKind.Histogram, "e2e", "p99", ">", 10, true)]
    [InlineData("throughput < -5%", DiffMetricKind.Throughput, null, "rps", "<", -5, true)]
    [InlineData("p99 > +2ms", DiffMetricKind.Latency, null, "p99", ">", 2, false)]
    [InlineData("p50 >= +1s", DiffMetricKind.Latency, null, "p50", ">=", 1000, false)]
    [InlineData("fail% > +0.5", DiffMetricKind.FailPercent, null, "fail%", ">", 0.5, false)]
    [InlineData("counter:lost > +0", DiffMetricKind.Counter, "lost", "value", ">", 0, false)]
    [InlineData("hist:e2e latency:max > +50%", DiffMetricKind.Histogram, "e2e latency", "max", ">", 50, true)]
    public void Rules_parse(string text, DiffMetricKind kind, string? name, string stat, string op, double change, bool relative)
    {
        var rule = RegressionRule.Parse(text);
        Assert.Equal((kind, name, stat, op, relative), (rule.Kind, rule.Name, rule.Stat, rule.Operator, rule.Relative));
        Assert.Equal(change, rule.Change, 6);
    }

    [Theory]
    [InlineData("p99 > 10%", "signed-change")]
    [InlineData("latency > +10%", "unknown metric 'latency'")]
    [InlineData("throughput < -5ms", "not a latency")]
    public void Bad_rules_say_why(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => RegressionRule.Parse(text)).Message);

    [Fact]
    public void Deltas_and_rules_are_computed_per_scenario()
    {
        var a = RunResultFixtures.ChatRun();
        var room = a.Scenarios[0];
        var slower = room with { Histograms = [room.Histograms[0] with { P99Ms = room.Histograms[0].P99Ms * 1.5 }] };
        var b = a with { Scenarios = [slower, a.Scenarios[1]] };

        var diff = RunDiff.Compute(a, b, [RegressionRule.Parse("room-chat/end-to-end p99 > +10%"), RegressionRule.Parse("throughput < -5%")]);

        Assert.True(diff.Regressed);
        var broken = Assert.Single(diff.Rules, r => r.Broken);
        Assert.Equal("room-chat", broken.Scenario);
        Assert.Contains("+50%", broken.Message);
        var row = diff.Rows.Single(r => r.Scenario == "room-chat" && r.Metric == "end-to-end latency p99");
        Assert.Equal(50, row.DeltaPercent!.Value, 3);
        Assert.Contains("BROKEN", diff.Render(markdown: true));
    }

    [Fact]
    public void A_rule_naming_what_neither_run_has_is_an_error_not_a_pass()
    {
        var a = RunResultFixtures.ChatRun();
        Assert.Contains("no scenario of both runs has nosuch p99",
            Assert.Throws<FormatException>(() => RunDiff.Compute(a, a, [RegressionRule.Parse("nosuch p99 > +10%")])).Message);
    }

    [Fact]
    public async Task Two_real_runs_pass_when_alike_and_fail_on_a_planted_regression()
    {
        using var folder = new TempFolder();
        // The planted regression: the same scenario with each iteration 60 ms slower. The rule reads p50, which a
        // loaded CI machine moves by milliseconds; its p99 (one timer hiccup) can move by more than the plant.
        foreach (var (dir, delay) in new[] { ("fast", "1"), ("slow", "61") })
        {
            var (exit, output) = await Run("--scenario", "engine-delay", "--clients", "2", "--duration", "1s", "--set", $"delayMs={delay}",
                "--report-dir", folder.File(dir), "--report-format", "json");
            Assert.True(exit == 0, output);
        }
        string fast = folder.File("fast/result.json"), slow = folder.File("slow/result.json");

        var (same, sameOutput) = await Run("diff", fast, fast, "--fail-if", "p99 > +10%", "--fail-if", "throughput < -5%");
        Assert.True(same == 0, sameOutput);
        Assert.Contains("no regression", sameOutput);

        var (regressed, output2) = await Run("diff", fast, slow, "--fail-if", "p50 > +50%", "--report-dir", folder.File("diff"));
        Assert.True(regressed == 1, output2);
        Assert.Contains("BROKEN: engine-delay: p50", output2);
        Assert.True(File.Exists(folder.File("diff/diff.md")));

        var (typo, typoOutput) = await Run("diff", fast, slow, "--fail-if", "e2e p99 > +10%");
        Assert.Equal(2, typo);
        Assert.Contains("no scenario of both runs has e2e p99", typoOutput);
    }

    [Fact]
    public void JUnit_xml_has_one_case_per_threshold_and_the_failures_with_their_values()
    {
        var xml = ChatLoad.LoadEngine.Reports.ReportWriter.Render(RunResultFixtures.ChatRun(), ChatLoad.LoadEngine.Reports.ReportFormat.JUnit);
        var doc = System.Xml.Linq.XDocument.Parse(xml);
        var room = doc.Root!.Elements("testsuite").Single(s => s.Attribute("name")!.Value == "room-chat");
        Assert.Equal("1", room.Attribute("failures")!.Value);
        var failed = room.Elements("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal("p99 < 50ms", failed.Attribute("name")!.Value);
        Assert.Contains("87.5", failed.Element("failure")!.Value);
        Assert.Contains(room.Elements("testcase"), c => c.Element("skipped") is not null); // the saturated generator
    }
}
