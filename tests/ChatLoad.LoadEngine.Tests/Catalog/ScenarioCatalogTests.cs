using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ChatLoad.LoadEngine.Tests.Catalog;

/// <summary>Scenarios registered in code or plugged in with --assembly, found by name; the NBomber-shaped runner's
/// defaults; how a scenario built in code takes the command line's settings.</summary>
public sealed class ScenarioCatalogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatload-catalog-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static ScenarioProps Quick(string name) =>
        Scenario.Create(name, static _ => ValueTask.FromResult(Response.Ok())).WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromMilliseconds(300)));

    private static async Task<(int Exit, string Output)> RunAsync(LoadTestRunnerContext runner, params string[] args)
    {
        var output = new StringWriter();
        int exit = await LoadTestApp.RunAsync(args, runner.RegisteredScenarios, runner.AppOptions(new LoadTestAppOptions { Output = output, HandleCtrlC = false }));
        return (exit, output.ToString());
    }

    [Fact]
    public async Task A_missing_assembly_is_a_usage_error_naming_the_file()
    {
        var (exit, output) = await RunAsync(LoadTestRunner.RegisterScenarios(Quick("a")), "--assembly", "/nonexistent/MyScenarios.dll", "--scenario", "a");

        Assert.Equal(LoadTestApp.ExitUsage, exit);
        Assert.Contains("error: --assembly '/nonexistent/MyScenarios.dll': no such file", output);
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_is_a_usage_error()
    {
        Directory.CreateDirectory(_folder);
        var fake = Path.Combine(_folder, "MyScenarios.dll");
        await File.WriteAllBytesAsync(fake, [0x4d, 0x5a, 1, 2, 3]); // "MZ" and nothing of a PE file after it

        var (exit, output) = await RunAsync(LoadTestRunner.RegisterScenarios(Quick("a")), "--assembly", fake, "--list");

        Assert.Equal(LoadTestApp.ExitUsage, exit);
        Assert.Contains("is not a valid .NET assembly", output);
    }

    [Fact]
    public async Task An_assembly_without_a_scenario_provider_is_a_usage_error_that_says_what_is_missing()
    {
        var noProvider = typeof(HdrHistogram.LongHistogram).Assembly.Location;

        var (exit, output) = await RunAsync(LoadTestRunner.RegisterScenarios(Quick("a")), "--assembly", noProvider, "--scenario", "a");

        Assert.Equal(LoadTestApp.ExitUsage, exit);
        Assert.Contains("has no public class implementing IScenarioProvider", output);
    }

    [Fact]
    public void Two_scenarios_of_one_name_are_refused_with_both_origins()
    {
        var error = Assert.Throws<ScenarioAssemblyException>(() => ScenarioCatalog.Create([ScenarioFactory.From(Quick("a")), ScenarioFactory.From(Quick("a"))]));
        Assert.Contains("scenario 'a' is defined twice", error.Message);
        Assert.Equal("b", ScenarioCatalog.Create([ScenarioFactory.From(Quick("b"))]).Find("b")!.Name);
    }

    [Fact]
    public async Task The_one_registered_scenario_runs_without_being_named_into_the_folder_and_formats_set_in_code()
    {
        var folder = Path.Combine(_folder, "coded");
        var runner = LoadTestRunner.RegisterScenarios(Quick("only")).WithReportFolder(folder).WithReportFormats(ReportFormat.Json, ReportFormat.Markdown).WithTestName("coded name");

        var (exit, output) = await RunAsync(runner);

        Assert.True(exit == LoadTestApp.ExitOk, output);
        Assert.Equal(["report.md", "result.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        var result = RunResultJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(folder, "result.json")));
        Assert.Equal("coded name", result.Info.TestName);
    }

    [Fact]
    public async Task The_command_line_overrides_what_the_code_set()
    {
        var cliFolder = Path.Combine(_folder, "cli");
        var runner = LoadTestRunner.RegisterScenarios(Quick("only")).WithReportFolder(Path.Combine(_folder, "coded")).WithReportFormats(ReportFormat.Markdown);

        var (exit, output) = await RunAsync(runner, "--report-dir", cliFolder, "--report-format", "json", "--name", "from cli");

        Assert.True(exit == LoadTestApp.ExitOk, output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "coded")));
        var result = RunResultJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(cliFolder, "result.json")));
        Assert.Equal("from cli", result.Info.TestName);
    }

    [Fact]
    public void A_scenario_built_in_code_takes_rate_clients_duration_and_target_from_the_settings()
    {
        var built = Quick("x").WithLoadSimulations(Simulation.KeepConstant(2, TimeSpan.FromSeconds(7)))
            .WithCustomSettings(new Dictionary<string, string> { ["size"] = "1" });
        var factory = ScenarioFactory.From(built);

        var injected = factory.Create(new ScenarioSettings { Rate = 50, Target = "10.0.0.1:7" });
        Assert.Equal(Simulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(7)), Assert.Single(injected.LoadSimulations));
        Assert.Equal("10.0.0.1:7", injected.CustomSettings["target"]);
        Assert.Equal("1", injected.CustomSettings["size"]);

        var copies = factory.Create(new ScenarioSettings { Clients = 9, Duration = TimeSpan.FromSeconds(3) });
        Assert.Equal(Simulation.KeepConstant(9, TimeSpan.FromSeconds(3)), Assert.Single(copies.LoadSimulations));

        var stretched = factory.Create(new ScenarioSettings { Duration = TimeSpan.FromSeconds(30) });
        Assert.Equal(Simulation.KeepConstant(2, TimeSpan.FromSeconds(30)), Assert.Single(stretched.LoadSimulations));

        var twoPhases = ScenarioFactory.From(built.WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromSeconds(1)), Simulation.Pause(TimeSpan.FromSeconds(1))));
        Assert.Contains("--duration alone cannot stretch 2 load simulations", Assert.Throws<ArgumentException>(() => twoPhases.Create(new ScenarioSettings { Duration = TimeSpan.FromSeconds(5) })).Message);
    }

    [Fact]
    public async Task Set_overrides_a_custom_setting_the_code_gave_and_the_scenario_log_lands_in_the_report_folder()
    {
        var folder = Path.Combine(_folder, "logged");
        string? seen = null;
        var scenario = Scenario.Create("talky", context =>
            {
                seen = context.CustomSettings["greeting"];
                return ValueTask.FromResult(Response.Ok());
            })
            .WithInit(context => { context.Logger.LogInformation("hello from init"); return Task.CompletedTask; })
            .WithCustomSettings(new Dictionary<string, string> { ["greeting"] = "from code" })
            .WithLoadSimulations(Simulation.KeepConstant(1, TimeSpan.FromMilliseconds(200)));

        var (exit, output) = await RunAsync(LoadTestRunner.RegisterScenarios(scenario), "--set", "greeting=from cli", "--report-dir", folder, "--report-format", "json");

        Assert.True(exit == LoadTestApp.ExitOk, output);
        Assert.Equal("from cli", seen);
        Assert.Matches(@"INF talky: hello from init", await File.ReadAllTextAsync(Path.Combine(folder, "log.txt")));
        Assert.Contains($"log: {Path.Combine(folder, "log.txt")}", output);
    }
}
