using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine;

/// <summary>
/// The entry point of a load-test program, in the shape of NBomber's <c>NBomberRunner</c>:
/// <code>
/// return LoadTestRunner.RegisterScenarios(scenario)
///     .WithReportFolder("reports/my-test")
///     .WithReportFormats(ReportFormat.Html, ReportFormat.Markdown)
///     .Run(args);
/// </code>
/// <c>Run(args)</c> is the whole command line (<c>--scenario</c>, <c>--target</c>, <c>--clients</c>, <c>--rate</c>,
/// <c>--duration</c>, <c>--config</c>, <c>--threshold</c>, <c>--set</c>, <c>--assembly</c>, <c>--list</c>,
/// <c>merge</c> ...; see <c>--help</c>): the live console, the generator's self-monitoring, thresholds and the five
/// report formats, exactly as for the built-in chat scenarios. The command line overrides the config file, which
/// overrides what is set here.
/// </summary>
public static class LoadTestRunner
{
    /// <summary>Registers scenarios built in code (applied to the settings by <see cref="ScenarioFactory.From"/>).</summary>
    public static LoadTestRunnerContext RegisterScenarios(params ScenarioProps[] scenarios) => new LoadTestRunnerContext().RegisterScenarios(scenarios);

    /// <summary>Registers scenarios that build themselves from the settings.</summary>
    public static LoadTestRunnerContext RegisterScenarios(params ScenarioFactory[] factories) => new LoadTestRunnerContext().RegisterScenarios(factories);

    /// <summary>Registers scenarios that build themselves from the settings (e.g. an <see cref="IScenarioProvider"/>'s).</summary>
    public static LoadTestRunnerContext RegisterScenarios(IEnumerable<ScenarioFactory> factories) => new LoadTestRunnerContext().RegisterScenarios(factories);
}

/// <summary>A load-test program being configured (NBomber's <c>NBomberContext</c>); each <c>With*</c> returns a
/// changed copy.</summary>
public sealed record LoadTestRunnerContext
{
    private IReadOnlyList<ScenarioFactory> Scenarios { get; init; } = [];
    private RunDefaults Defaults { get; init; } = new();
    private Func<RunResult, RunResult>? ReportFinalizer { get; init; }

    /// <summary>Adds scenarios built in code.</summary>
    public LoadTestRunnerContext RegisterScenarios(params ScenarioProps[] scenarios) =>
        RegisterScenarios(scenarios.Select(ScenarioFactory.From));

    /// <summary>Adds scenarios that build themselves from the settings.</summary>
    public LoadTestRunnerContext RegisterScenarios(params ScenarioFactory[] factories) => RegisterScenarios((IEnumerable<ScenarioFactory>)factories);

    /// <summary>Adds scenarios that build themselves from the settings.</summary>
    public LoadTestRunnerContext RegisterScenarios(IEnumerable<ScenarioFactory> factories) => this with { Scenarios = [.. Scenarios, .. factories] };

    /// <summary>The test name in the reports (default: the scenario names joined by "+").</summary>
    public LoadTestRunnerContext WithTestName(string testName) => this with { Defaults = Defaults with { TestName = testName } };

    /// <summary>Where reports go (default <c>reports/&lt;test name&gt;-&lt;time&gt;</c>).</summary>
    public LoadTestRunnerContext WithReportFolder(string reportFolder) => this with { Defaults = Defaults with { ReportFolder = reportFolder } };

    /// <summary>Which reports to write (default all five: html, md, csv, txt, json).</summary>
    public LoadTestRunnerContext WithReportFormats(params ReportFormat[] reportFormats) => this with { Defaults = Defaults with { ReportFormats = reportFormats } };

    /// <summary>A JSON config file (see <c>example-config.json</c>) read unless <c>--config</c> names another.</summary>
    public LoadTestRunnerContext LoadConfig(string path) => this with { Defaults = Defaults with { ConfigFile = path } };

    /// <summary>The engine's own limits (late tolerance, in-flight cap, drain and clean timeouts).</summary>
    public LoadTestRunnerContext WithEngineOptions(EngineOptions options) => this with { Defaults = Defaults with { Engine = options } };

    /// <summary>Changes the result before the reports are written (NBomber's <c>WithReportFinalizer</c>), e.g. to add
    /// notes or properties measured elsewhere.</summary>
    public LoadTestRunnerContext WithReportFinalizer(Func<RunResult, RunResult> finalizer) => this with { ReportFinalizer = finalizer };

    /// <summary>Runs the command line <paramref name="args"/> and returns the exit code: 0 ok, 1 a threshold broke
    /// (or an init failed), 2 a bad command line, config or <c>--assembly</c>.</summary>
    public int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    /// <summary>As <see cref="Run"/>, awaitable.</summary>
    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        LoadTestApp.RunAsync(args, Scenarios, AppOptions(), cancellationToken);

    /// <summary>The options <see cref="LoadTestApp"/> runs with: this context's defaults and finalizer.</summary>
    public LoadTestAppOptions AppOptions(LoadTestAppOptions? plumbing = null)
    {
        var options = (plumbing ?? new LoadTestAppOptions()) with { Defaults = Defaults };
        if (ReportFinalizer is { } finalizer)
            options = options with { BeforeReports = (result, _) => Task.FromResult(finalizer(result)) };
        return options;
    }

    /// <summary>The scenarios registered so far.</summary>
    public IReadOnlyList<ScenarioFactory> RegisteredScenarios => Scenarios;
}
