using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.SelfTest;
using ChatLoad.LoadEngine.Tests.Support;

namespace ChatLoad.LoadEngine.Tests.Cli;

/// <summary>The command line end to end on the engine's self-test scenarios (short real-time runs).</summary>
public class LoadTestAppTests
{
    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        int exit = await LoadTestApp.RunAsync(args, EngineSelfTestScenarios.All, new LoadTestAppOptions { Output = output, HandleCtrlC = false });
        return (exit, output.ToString());
    }

    [Fact]
    public async Task A_passing_run_exits_0_and_writes_the_asked_reports()
    {
        using var folder = new TempFolder();
        var (exit, output) = await Run("--scenario", "engine-steps", "--clients", "2", "--duration", "500ms", "--warmup", "200ms",
            "--report-dir", folder.Path, "--report-format", "json", "--threshold", "fail% < 1", "--threshold", "step:first:count > 0",
            "--set", "flavour=plain", "--name", "self test");

        Assert.True(exit == 0, output);
        var result = RunResultJson.Deserialize(File.ReadAllText(Directory.GetFiles(folder.Path, "*.json").Single()));
        Assert.Equal("self test", result.Info.TestName);
        Assert.Equal("2", result.Info.Properties["clients"]);
        Assert.Equal("plain", result.Info.Properties["set flavour"]);
        Assert.Contains("--duration 500ms", result.Info.Command);
        var scenario = result.Scenarios.Single();
        Assert.True(scenario.Iterations.OkCount > 0);
        Assert.Equal(["first", "second"], scenario.Steps.Select(s => s.Name));
        // Counters count from init, warm-up included (so expected/delivered pairs stay consistent); steps do not.
        Assert.True(scenario.Counters.Single(c => c.Name == "steps run").Value >= scenario.Iterations.OkCount * 2);
        Assert.Equal(scenario.Iterations.OkCount, scenario.Steps[0].OkCount);
        Assert.All(result.Thresholds, t => Assert.True(t.Passed, t.Message));
        Assert.Contains("all thresholds passed", output);
    }

    [Fact]
    public async Task A_broken_threshold_exits_1_and_the_result_says_which()
    {
        using var folder = new TempFolder();
        var (exit, output) = await Run("--scenario", "engine-noop", "--duration", "300ms", "--report-dir", folder.Path,
            "--report-format", "json", "--threshold", "rps < 1", "--threshold", "fail% < 1");

        Assert.Equal(1, exit);
        var result = RunResultJson.Deserialize(File.ReadAllText(Directory.GetFiles(folder.Path, "*.json").Single()));
        Assert.Equal([("rps < 1", false), ("fail% < 1", true)], result.Thresholds.Select(t => (t.Expression, t.Passed)));
        Assert.Contains("FAIL", output);
    }

    [Fact]
    public async Task Several_scenarios_run_at_once_from_a_comma_list()
    {
        using var folder = new TempFolder();
        var (exit, output) = await Run("--scenario", "engine-noop,engine-delay", "--duration", "300ms", "--clients", "2",
            "--report-dir", folder.Path, "--report-format", "json");

        Assert.True(exit == 0, output);
        var result = RunResultJson.Deserialize(File.ReadAllText(Directory.GetFiles(folder.Path, "*.json").Single()));
        Assert.Equal(["engine-noop", "engine-delay"], result.Scenarios.Select(s => s.Name));
        Assert.All(result.Scenarios, s => Assert.True(s.Iterations.OkCount > 0));
    }

    [Fact]
    public async Task The_config_file_applies_and_the_command_line_overrides_it()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("load.json"), $$"""
            {
              "testName": "from file",
              "reportFolder": "{{folder.File("reports").Replace("\\", "\\\\")}}",
              "reportFormats": ["json"],
              "scenarios": [{
                "name": "engine-noop",
                "loadSimulations": [{"type": "iterationsForConstant", "copies": 2, "iterations": 777}],
                "thresholds": ["count == 777"]
              }]
            }
            """);

        var (exit, output) = await Run("--config", folder.File("load.json"), "--name", "from cli");

        Assert.True(exit == 0, output);
        var result = RunResultJson.Deserialize(File.ReadAllText(Directory.GetFiles(folder.File("reports"), "*.json").Single()));
        Assert.Equal("from cli", result.Info.TestName);
        Assert.Equal(777, result.Scenarios.Single().Iterations.Count);
        Assert.True(result.Thresholds.Single().Passed);
    }

    [Theory]
    [InlineData("unknown key", """{"scenarios": [{"name": "engine-noop", "clientz": 3}]}""", "$.scenarios[0].clientz: unknown key")]
    [InlineData("bad value", """{"scenarios": [{"name": "engine-noop", "warmUp": "soon"}]}""", "$.scenarios[0].warmUp: expected a duration")]
    [InlineData("bad threshold", """{"thresholds": ["p99 ~ 5"], "scenarios": [{"name": "engine-noop"}]}""", "bad threshold \"p99 ~ 5\"")]
    [InlineData("unknown scenario", """{"scenarios": [{"name": "nope"}]}""", "scenario 'nope' is unknown")]
    public async Task Config_errors_exit_2_with_one_line_before_anything_runs(string why, string json, string message)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.json"), json);

        var (exit, output) = await Run("--config", folder.File("bad.json"), "--report-dir", folder.File("never"));

        Assert.True(exit == 2, why);
        Assert.StartsWith("error: ", output);
        Assert.Contains(message, output);
        Assert.Single(output.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.File("never")));
    }

    [Theory]
    [InlineData(new[] { "--scenario", "nope" }, "unknown scenario 'nope' (known: engine-noop")]
    [InlineData(new[] { "--duration", "1s" }, "no scenario given")]
    [InlineData(new[] { "--scenario", "engine-noop", "--threshold", "other/p99 < 5" }, "names scenario 'other', which is not being run")]
    [InlineData(new[] { "--scenario", "engine-delay", "--set", "delayMs=soon" }, "scenario engine-delay: setting delayMs='soon'")]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--scenario", "engine-noop", "--report-dir", "/proc/no-reports-here" }, "report folder '/proc/no-reports-here' cannot be created")]
    public async Task Usage_errors_exit_2(string[] args, string message)
    {
        var (exit, output) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task List_shows_every_scenario_and_help_shows_the_grammar()
    {
        var (listExit, list) = await Run("--list");
        Assert.Equal(0, listExit);
        Assert.All(EngineSelfTestScenarios.All, f => Assert.Contains(f.Name, list));

        var (helpExit, help) = await Run("--help");
        Assert.Equal(0, helpExit);
        Assert.Contains("Threshold grammar", help);
        Assert.Contains("merge --report-dir", help);
    }

    [Fact]
    public async Task Merge_combines_two_shard_files_into_one_result()
    {
        using var folder = new TempFolder();
        foreach (var shard in new[] { "a", "b" })
        {
            var (exit, output) = await Run("--scenario", "engine-noop", "--duration", "300ms", "--report-dir", folder.File(shard),
                "--report-format", "json", "--threshold", "ok > 0");
            Assert.True(exit == 0, output);
        }
        var a = Directory.GetFiles(folder.File("a"), "*.json").Single();
        var b = Directory.GetFiles(folder.File("b"), "*.json").Single();

        var (mergeExit, mergeOutput) = await Run("merge", "--report-dir", folder.File("merged"), "--report-format", "json", a, b);

        Assert.True(mergeExit == 0, mergeOutput);
        var merged = RunResultJson.Deserialize(File.ReadAllText(Directory.GetFiles(folder.File("merged"), "*.json").Single()));
        var shardA = RunResultJson.Deserialize(File.ReadAllText(a));
        var shardB = RunResultJson.Deserialize(File.ReadAllText(b));
        Assert.Equal(2, merged.ShardCount);
        Assert.Equal(shardA.Scenarios[0].Iterations.Count + shardB.Scenarios[0].Iterations.Count, merged.Scenarios[0].Iterations.Count);
        Assert.Equal(merged.Scenarios[0].Iterations.Count, merged.Scenarios[0].Iterations.Latency.Count);
        Assert.True(merged.Thresholds.Single().Passed);
    }

    [Fact]
    public async Task Merge_of_a_file_that_is_not_a_result_exits_2()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("x.json"), "{\"hello\": 1}");
        var (exit, output) = await Run("merge", "--report-dir", folder.File("m"), folder.File("x.json"), folder.File("missing.json"));
        Assert.Equal(2, exit);
        Assert.Contains("x.json", output);
    }
}
