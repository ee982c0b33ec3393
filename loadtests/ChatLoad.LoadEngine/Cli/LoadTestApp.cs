using ChatLoad.CommandLine;
using ChatLoad.LoadEngine.Cluster;
using ChatLoad.LoadEngine.Cluster.Coordinator;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.LiveMetrics;
using ChatLoad.LoadEngine.Runner;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.LiveConsole;
using ChatLoad.LoadEngine.Logging;
using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Results;
using Spectre.Console;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>Optional hooks and plumbing for <see cref="LoadTestApp"/>.</summary>
public sealed record LoadTestAppOptions
{
    /// <summary>Called with the finished result before reports are written, e.g. to add server-side figures as
    /// notes or properties. Return the result to report.</summary>
    public Func<RunResult, CancellationToken, Task<RunResult>>? BeforeReports { get; init; }

    /// <summary>Where the console output goes; null for the real console.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>The clock (fake time in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Stop on Ctrl+C (first press stops cleanly and still writes reports). Off in tests.</summary>
    public bool HandleCtrlC { get; init; } = true;

    /// <summary>Defaults set in code (<see cref="LoadTestRunner"/>'s <c>With*</c>): the config file and the command
    /// line override each of them.</summary>
    public RunDefaults Defaults { get; init; } = new();
}

/// <summary>Run settings given in code, below the config file and the command line in precedence.</summary>
public sealed record RunDefaults
{
    /// <summary>Test name in the reports (the config's <c>testName</c> and <c>--name</c> override it).</summary>
    public string? TestName { get; init; }

    /// <summary>Report folder (the config's <c>reportFolder</c> and <c>--report-dir</c> override it).</summary>
    public string? ReportFolder { get; init; }

    /// <summary>Report formats (the config's <c>reportFormats</c> and <c>--report-format</c> override them).</summary>
    public IReadOnlyList<ReportFormat>? ReportFormats { get; init; }

    /// <summary>A JSON config file read when <c>--config</c> is not given.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The engine's limits (the config's <c>engine</c> section overrides them).</summary>
    public EngineOptions? Engine { get; init; }
}

/// <summary>
/// The command line a suite's executable hands its args to: run scenarios, list them, or merge shard results.
/// Exit codes (<see cref="ExitCodes"/>): 0 ok, 1 a threshold broke (or a scenario failed to start), 2 bad command
/// line or config — reported in one line before anything starts, 3 the target did not answer (nothing measured).
/// </summary>
public static class LoadTestApp
{
    /// <summary>Exit code: the run finished and every threshold held.</summary>
    public const int ExitOk = ExitCodes.Ok;

    /// <summary>Exit code: a threshold broke, or a scenario's init failed.</summary>
    public const int ExitThresholdsFailed = ExitCodes.Failed;

    /// <summary>Exit code: the command line or config was wrong; nothing ran.</summary>
    public const int ExitUsage = ExitCodes.Usage;

    /// <summary>Exit code: the target did not answer (nothing listening, refused, timed out); nothing was measured.</summary>
    public const int ExitTargetUnreachable = ExitCodes.TargetUnreachable;

    /// <summary>Console width assumed when output is not a terminal: wide enough for the summary table.</summary>
    private const int PlainOutputWidth = 200;

    /// <summary>Runs the command line <paramref name="args"/> over <paramref name="scenarios"/>; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, IReadOnlyList<ScenarioFactory> scenarios, CancellationToken ct = default) =>
        RunAsync(args, scenarios, new LoadTestAppOptions(), ct);

    /// <summary>As <see cref="RunAsync(string[], IReadOnlyList{ScenarioFactory}, CancellationToken)"/>, with hooks.</summary>
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<ScenarioFactory> scenarios, LoadTestAppOptions options,
        CancellationToken ct = default)
    {
        bool interactive = options.Output is null && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var console = options.Output is null ? AnsiConsole.Console : AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(options.Output),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
        });
        // Logs and pipes have no width: don't wrap tables and lines at Spectre's default of 80 columns.
        if (!interactive) console.Profile.Width = Math.Max(console.Profile.Width, PlainOutputWidth);
        var plain = options.Output ?? Console.Out;
        var errors = options.Output ?? Console.Error;

        CommandLineOptions cli;
        try
        {
            cli = CommandLineParser.Parse(args);
        }
        catch (UsageException ex)
        {
            return UsageError(errors, ex.Message);
        }

        switch (cli.Command)
        {
            case CommandKind.Help:
                plain.WriteLine(cli.HelpText);
                return ExitOk;
            case CommandKind.Diff:
                return DiffCommand.Run(cli, plain, errors);
            case CommandKind.Merge:
                return MergeCommand.Run(cli, console, errors);
            case CommandKind.Agent:
                return await AgentCommand.RunAsync(cli, scenarios, plain, errors, options.Time, options.HandleCtrlC, ct);
        }

        ScenarioCatalog catalog;
        try
        {
            catalog = ScenarioCatalog.Create(scenarios, cli.Assemblies);
        }
        catch (ScenarioAssemblyException ex)
        {
            return UsageError(errors, ex.Message);
        }
        if (cli.Command == CommandKind.List)
        {
            ListScenarios(console, catalog.Scenarios);
            return ExitOk;
        }

        RunPlan plan;
        ClusterRunOptions? cluster;
        int? metricsPort;
        try
        {
            var configFile = cli.ConfigFile ?? options.Defaults.ConfigFile;
            var config = WithDefaults(configFile is null ? new LoadTestConfig() : ConfigFileReader.ReadFile(configFile), options.Defaults);
            // A program that registers one scenario runs it without being told which (as NBomber runs what it registers).
            if (cli.Scenarios.Count == 0 && config.Scenarios.Count == 0 && catalog.Scenarios.Count == 1)
                cli = cli with { Scenarios = [catalog.Scenarios[0].Name] };
            plan = RunPlanBuilder.Build(cli, config, catalog.Scenarios, CommandText(args), options.Time.GetUtcNow());
            cluster = ClusterPlan.Options(cli, config);
            metricsPort = cli.MetricsPort ?? config.MetricsPort;
            EnsureWritableFolder(plan.ReportFolder);
        }
        catch (UsageException ex)
        {
            return UsageError(errors, ex.Message);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler? onCtrlC = null;
        if (options.HandleCtrlC)
        {
            onCtrlC = (_, e) =>
            {
                if (stop.IsCancellationRequested) return; // a second Ctrl+C kills the process as usual
                e.Cancel = true;
                console.MarkupLine("[yellow]stopping: finishing in-flight iterations, then writing reports (Ctrl+C again to abort)[/]");
                stop.Cancel();
            };
            Console.CancelKeyPress += onCtrlC;
        }

        try
        {
            console.WriteLine($"running {string.Join(", ", plan.Request.Scenarios.Select(s => s.Name))}" +
                              (cluster is null ? "" : $" on {cluster.Agents} agents over {cluster.NatsUrl}") + $"; reports to {plan.ReportFolder}");
            using var log = new FileLoggerFactory(Path.Combine(plan.ReportFolder, "log.txt"), options.Time);
            ILiveRun live;
            Func<Task<RunResult>> start;
            Task<ClusterOutcome>? clusterRun = null;
            if (cluster is not null)
            {
                var coordinator = new ClusterCoordinator(cluster, plain, options.Time);
                live = coordinator;
                start = () => MergedOf(clusterRun = coordinator.RunAsync(plan, stop.Token));
            }
            else
            {
                var runner = new LoadRunner(plan.Engine, options.Time, log);
                live = runner;
                start = () => runner.RunAsync(plan.Request, stop.Token);
            }
            GeneratorMetricsEndpoint? endpoint = null;
            if (metricsPort is { } port)
            {
                try
                {
                    endpoint = GeneratorMetricsEndpoint.Start(cli.MetricsBind ?? "127.0.0.1", port, live, options.Time);
                }
                catch (UsageException ex)
                {
                    return UsageError(errors, ex.Message);
                }
                console.WriteLine($"live metrics: {endpoint.Url}");
            }
            await using var metricsEndpoint = endpoint;
            var run = start();
            await new ProgressDisplay(console, plain, interactive && cluster is null, options.Time).ShowUntilDoneAsync(live, run);
            RunResult result;
            try
            {
                result = await run;
            }
            catch (ClusterUnavailableException ex)
            {
                errors.WriteLine($"error: cluster: {ex.Message}");
                errors.WriteLine("nothing was measured (exit code 3: the cluster did not answer)");
                return ExitTargetUnreachable;
            }
            catch (ClusterRefusedException ex)
            {
                return UsageError(errors, $"cluster: {ex.Message}");
            }
            log.Dispose();
            if (log.WroteAnything) console.WriteLine($"log: {log.Path}");
            if (result.Scenarios.FirstOrDefault(s => s.TargetUnreachable is not null) is { } unreachable)
            {
                // Nothing was measured: no table of zeros, no reports that look like results.
                errors.WriteLine($"error: {unreachable.Name}: the target did not answer: {unreachable.TargetUnreachable}");
                errors.WriteLine("is the server running? (exit code 3: target unreachable)");
                return ExitTargetUnreachable;
            }
            if (options.BeforeReports is not null) result = await options.BeforeReports(result, CancellationToken.None);

            SummaryTable.Write(console, result, interactive);
            var files = ReportWriter.WriteAll(result, plan.ReportFolder, plan.ReportFormats.ToList());
            foreach (var file in files) console.WriteLine($"report: {file}");
            if (clusterRun is { IsCompletedSuccessfully: true })
                console.WriteLine($"agents' own results: {ClusterPlan.WriteAgentResults(clusterRun.Result, plan.ReportFolder)}");
            bool passed = result.AllThresholdsPassed;
            console.MarkupLine(passed ? "[green]all thresholds passed[/]" : "[red]thresholds broken: exit code 1[/]");
            return passed ? ExitOk : ExitThresholdsFailed;
        }
        finally
        {
            if (onCtrlC is not null) Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static async Task<RunResult> MergedOf(Task<ClusterOutcome> cluster) => (await cluster).Merged;

    private static LoadTestConfig WithDefaults(LoadTestConfig config, RunDefaults defaults) => config with
    {
        TestName = config.TestName ?? defaults.TestName,
        ReportFolder = config.ReportFolder ?? defaults.ReportFolder,
        ReportFormats = config.ReportFormats ?? defaults.ReportFormats?.Select(f => f.ToString().ToLowerInvariant()).ToList(),
        Engine = config.Engine ?? defaults.Engine,
    };

    /// <summary>One plain line (never wrapped), so scripts can show or grep it.</summary>
    private static int UsageError(TextWriter errors, string message)
    {
        errors.WriteLine($"error: {message}");
        return ExitUsage;
    }

    /// <summary>A report folder that cannot be created is found before the run, not after minutes of load.</summary>
    private static void EnsureWritableFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"report folder '{folder}' cannot be created: {ex.Message}");
        }
    }

    private static void ListScenarios(IAnsiConsole console, IReadOnlyList<ScenarioFactory> scenarios)
    {
        if (scenarios.Count == 0)
        {
            console.WriteLine("no scenarios are registered");
            return;
        }
        int width = scenarios.Max(s => s.Name.Length);
        foreach (var scenario in scenarios) console.WriteLine($"{scenario.Name.PadRight(width)}  {scenario.Description}");
    }

    private static string CommandText(string[] args) =>
        "loadtest " + string.Join(" ", args.Select(a => a.Contains(' ') || a.Length == 0 ? $"\"{a}\"" : a));
}
