using System.Diagnostics;
using ChatLoad.LoadClient.Tracking;
using ChatLoad.LoadEngine;
using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadTests.Scenarios;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.Examples;

/// <summary>
/// The template in loadtests/examples, used the two ways the README shows: its chat scenario plugged into the
/// suite's runner with --assembly against the real server, and its raw TCP echo scenario run by the template's own
/// executable. Both briefly: the point is that a scenario of one's own gets the same run, thresholds and reports.
/// </summary>
public sealed class ExampleScenariosTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatload-example-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The template's build output: same configuration as these tests (the solution builds both).</summary>
    private static string ExampleDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = dir.Parent!.Name; // .../bin/<configuration>/net10.0/
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatLoad.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var dll = Path.Combine(dir!.FullName, "loadtests", "examples", "bin", configuration, "net10.0", "MyScenarios.dll");
        Assert.True(File.Exists(dll), $"the template is not built: {dll}");
        return dll;
    }

    [Fact]
    public async Task The_lobby_example_plugged_in_with_assembly_runs_against_the_server_with_its_thresholds_and_reports()
    {
        await using var server = await ServerProcess.StartAsync("async");
        var console = new StringWriter();
        var runner = LoadTestRunner.RegisterScenarios(ChatScenarios.All);

        int exit = await LoadTestApp.RunAsync(
            ["--assembly", ExampleDll(), "--scenario", "lobby", "--target", server.Target, "--clients", "8", "--duration", "3s",
             "--report-dir", _folder],
            runner.RegisteredScenarios, runner.AppOptions(new LoadTestAppOptions { Output = console, HandleCtrlC = false }));

        Assert.True(exit == LoadTestApp.ExitOk, $"exit {exit}\n{console}\n{server.Log}");
        var result = RunResultJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(_folder, "result.json")));
        var lobby = Assert.Single(result.Scenarios);
        long Counter(string name) => lobby.Counters.Single(c => c.Name == name).Value;
        Assert.True(Counter(ChatMetricNames.MessagesDelivered) > 0, console.ToString());
        Assert.Equal(Counter(ChatMetricNames.MessagesExpected), Counter(ChatMetricNames.MessagesDelivered));
        Assert.Equal(0, Counter(ChatMetricNames.Lost));
        Assert.True(Counter("visits") > 0, console.ToString());
        Assert.Equal(["join", "part", "shout", "talk"], lobby.Steps.Select(s => s.Name).Order());
        Assert.Contains(result.Thresholds, t => t.Expression == "step:join:p99 < 5s" && t.Passed);
        Assert.All(["report.html", "report.md", "report.csv", "report.txt", "result.json"],
            file => Assert.True(File.Exists(Path.Combine(_folder, file)), file));
    }

    [Fact]
    public async Task The_echo_example_runs_as_its_own_program_and_writes_its_reports()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ExampleDll(), "--scenario", "echo", "--clients", "2", "--duration", "1s", "--report-dir", _folder },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await errors}");
        var result = RunResultJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(_folder, "result.json")));
        var echo = Assert.Single(result.Scenarios);
        Assert.True(echo.Iterations.OkCount > 0);
        Assert.Equal(0, echo.Iterations.FailCount);
        Assert.Equal(echo.Iterations.OkCount * 64, echo.Iterations.BytesIn);
        Assert.True(File.Exists(Path.Combine(_folder, "report.html")));
        Assert.False(File.Exists(Path.Combine(_folder, "report.csv"))); // the template's Program.cs chose its formats
    }
}
