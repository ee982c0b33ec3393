using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadTests.Scenarios;

namespace ChatLoad.LoadTests.Tests.Support;

/// <summary>Runs chat scenarios through the real engine's command line, as a user would, and reads back the JSON
/// result the run wrote.</summary>
internal static class SuiteRun
{
    public sealed record Outcome(int ExitCode, RunResult Result, string Console)
    {
        public ScenarioResult Scenario => Assert.Single(Result.Scenarios);

        public long Counter(string name) =>
            Scenario.Counters.FirstOrDefault(c => c.Name == name)?.Value ?? throw new Xunit.Sdk.XunitException(
                $"no counter '{name}' in the result; counters: {string.Join(", ", Scenario.Counters.Select(c => $"{c.Name}={c.Value}"))}\n{Console}");

        public GaugeResult? Gauge(string name) => Scenario.Gauges.FirstOrDefault(g => g.Name == name);

        public LatencyResult? Histogram(string name) => Scenario.Histograms.FirstOrDefault(h => h.Name == name);

        public string Explain() => $"exit {ExitCode}\nnotes:\n  {string.Join("\n  ", Scenario.Notes)}\ncounters: " +
                                   string.Join(", ", Scenario.Counters.Select(c => $"{c.Name}={c.Value}")) +
                                   $"\nstatuses: {string.Join(", ", Scenario.Iterations.Statuses.Select(s => $"{s.StatusCode}={s.Count} {s.SampleMessage}"))}\n{Console}";
    }

    public static Task<Outcome> RunAsync(string scenario, ServerProcess server, params string[] options) =>
        RunAsync(scenario, server.Mode, server.Target, server.MetricsAddress, options);

    /// <summary>Runs against any server at <paramref name="target"/>; without <paramref name="metricsAddress"/> the run
    /// scrapes nothing (reference servers have no metrics endpoint).</summary>
    public static async Task<Outcome> RunAsync(string scenario, string serverName, string target, string? metricsAddress, params string[] options)
    {
        string folder = Path.Combine(Path.GetTempPath(), "chatload-suite-tests", $"{scenario}-{serverName}-{Guid.NewGuid():N}");
        var args = new List<string> { "--scenario", scenario, "--target", target, "--report-dir", folder, "--report-format", "json" };
        if (metricsAddress is not null) args.AddRange(["--set", $"metrics={metricsAddress}"]);
        args.AddRange(options);
        var console = new StringWriter();
        int exit = await LoadTestApp.RunAsync(args.ToArray(), ChatScenarios.All,
            new LoadTestAppOptions { Output = console, HandleCtrlC = false });
        string json = Path.Combine(folder, "result.json");
        Assert.True(File.Exists(json), $"no result.json (exit {exit}):\n{console}");
        var result = RunResultJson.Deserialize(await File.ReadAllTextAsync(json));
        Directory.Delete(folder, recursive: true); // everything the assertions need is in memory now
        return new Outcome(exit, result, console.ToString());
    }
}
