using System.Globalization;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>Everything a run needs, settled before it starts: code defaults, overridden by the config file,
/// overridden by the command line.</summary>
/// <param name="Request">The scenarios, built, and the run's thresholds and labels.</param>
/// <param name="Engine">The engine's limits.</param>
/// <param name="ReportFolder">Where the reports go.</param>
/// <param name="ReportFormats">Which reports to write.</param>
/// <param name="Settings">Each scenario's settings as resolved (CLI over config), in the order of the request's
/// scenarios: a cluster run splits them over its agents.</param>
/// <param name="IterationsOn">Each scenario's iterations group for a cluster run (null = every agent), by name.</param>
internal sealed record RunPlan(LoadRunRequest Request, EngineOptions Engine, string ReportFolder, IReadOnlyList<ReportFormat> ReportFormats,
    IReadOnlyList<ScenarioSettings> Settings, IReadOnlyDictionary<string, string?> IterationsOn);

internal static class RunPlanBuilder
{
    /// <summary>Throws <see cref="UsageException"/> for anything wrong: unknown scenarios, bad config, a factory that
    /// rejects its settings, bad simulations or thresholds.</summary>
    public static RunPlan Build(CommandLineOptions cli, LoadTestConfig config, IReadOnlyList<ScenarioFactory> factories,
        string command, DateTimeOffset now)
    {
        var names = cli.Scenarios.Count > 0 ? cli.Scenarios : config.Scenarios.Select(s => s.Name).ToList();
        if (names.Count == 0) throw new UsageException("no scenario given: use --scenario NAME (see --list) or list scenarios in the config file");

        foreach (var configured in config.Scenarios)
            if (factories.All(f => f.Name != configured.Name))
                throw new UsageException($"config file: scenario '{configured.Name}' is unknown ({Known(factories)})");

        var scenarios = new List<ScenarioProps>();
        var resolved = new List<ScenarioSettings>();
        var iterationsOn = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var factory = factories.FirstOrDefault(f => f.Name == name)
                ?? throw new UsageException($"unknown scenario '{name}' ({Known(factories)})");
            var fromFile = config.Scenarios.FirstOrDefault(s => s.Name == name);
            var settings = ResolveSettings(fromFile, cli);
            resolved.Add(settings);
            scenarios.Add(BuildScenario(factory, settings, fromFile, cli));
            iterationsOn[name] = cli.IterationsOn ?? fromFile?.IterationsOn ?? config.Cluster?.IterationsOn;
        }

        var thresholds = config.Thresholds.Concat(cli.Thresholds).Select(t => new Threshold(t)).ToList();
        var testName = cli.Name ?? config.TestName ?? string.Join("+", names);
        var request = new LoadRunRequest
        {
            Scenarios = scenarios,
            Thresholds = thresholds,
            TestName = testName,
            Command = command,
            Properties = Properties(cli, config, scenarios),
        };
        try
        {
            LoadRunner.Validate(request);
            (config.Engine ?? new EngineOptions()).Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        var formats = cli.ReportFormats ?? ConfigFormats(config) ?? Enum.GetValues<ReportFormat>();
        var folder = cli.ReportDir ?? config.ReportFolder ?? Path.Combine("reports", $"{SafeFileName(testName)}-{now:yyyyMMdd-HHmmss}");
        return new RunPlan(request, config.Engine ?? new EngineOptions(), folder, formats, resolved, iterationsOn);
    }

    /// <summary>A scenario's settings: the command line's over the config file's.</summary>
    private static ScenarioSettings ResolveSettings(ScenarioConfig? fromFile, CommandLineOptions cli)
    {
        var custom = new Dictionary<string, string>(fromFile?.CustomSettings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in cli.Settings) custom[key] = value;
        return new ScenarioSettings
        {
            Target = cli.Target ?? fromFile?.Target,
            Clients = cli.Clients ?? fromFile?.Clients,
            Rate = cli.Rate ?? fromFile?.Rate,
            Duration = cli.Duration ?? fromFile?.Duration,
            WarmUp = cli.WarmUp ?? fromFile?.WarmUp,
            Custom = custom,
        };
    }

    /// <summary>Runs the factory on <paramref name="settings"/>; whatever it throws is a usage error naming the
    /// scenario. The built scenario takes the factory's name and sees every custom setting (the factory's defaults
    /// under the given ones). Agents of a cluster run build their share the same way.</summary>
    internal static ScenarioProps CreateScenario(ScenarioFactory factory, ScenarioSettings settings)
    {
        ScenarioProps scenario;
        try
        {
            scenario = factory.Create(settings);
        }
        catch (Exception ex)
        {
            // Whatever the factory throws, it rejected these settings: one line, before anything starts.
            throw new UsageException($"scenario {factory.Name}: {ex.Message}");
        }
        if (scenario.Name != factory.Name) scenario = scenario with { Name = factory.Name };
        var merged = new Dictionary<string, string>(scenario.CustomSettings, StringComparer.Ordinal);
        foreach (var (key, value) in settings.Custom) merged[key] = value;
        return scenario.WithCustomSettings(merged);
    }

    private static ScenarioProps BuildScenario(ScenarioFactory factory, ScenarioSettings settings, ScenarioConfig? fromFile, CommandLineOptions cli)
    {
        var scenario = CreateScenario(factory, settings);

        // The file's explicit load simulations replace the code's, unless the command line asked for a different
        // shape of load (then the factory has built it from those settings).
        bool cliShapesLoad = cli.Rate is not null || cli.Clients is not null || cli.Duration is not null;
        if (fromFile?.LoadSimulations is { Count: > 0 } simulations && !cliShapesLoad)
            scenario = scenario.WithLoadSimulations(simulations.ToArray());
        if (settings.WarmUp is { } warmUp) scenario = scenario.WithWarmUpDuration(warmUp);
        if (fromFile?.Thresholds is { Count: > 0 } fileThresholds)
            scenario = scenario.WithThresholds(scenario.Thresholds.Concat(fileThresholds.Select(t => new Threshold(t))).ToArray());
        return scenario;
    }

    private static IReadOnlyDictionary<string, string> Properties(CommandLineOptions cli, LoadTestConfig config, IReadOnlyList<ScenarioProps> scenarios)
    {
        var properties = new Dictionary<string, string>(config.Properties, StringComparer.Ordinal)
        {
            ["scenarios"] = string.Join(", ", scenarios.Select(s => s.Name)),
        };
        var first = config.Scenarios.FirstOrDefault(s => scenarios.Any(x => x.Name == s.Name));
        if ((cli.Target ?? first?.Target) is { } target) properties["target"] = target;
        if ((cli.Clients ?? first?.Clients) is { } clients) properties["clients"] = clients.ToString(CultureInfo.InvariantCulture);
        if ((cli.Rate ?? first?.Rate) is { } rate) properties["rate"] = rate.ToString(CultureInfo.InvariantCulture);
        if ((cli.Duration ?? first?.Duration) is { } duration) properties["duration"] = ChatLoad.CommandLine.Duration.Format(duration);
        if ((cli.WarmUp ?? first?.WarmUp) is { } warmUp) properties["warm-up"] = ChatLoad.CommandLine.Duration.Format(warmUp);
        foreach (var scenario in scenarios)
            properties[$"{scenario.Name}: load"] = string.Join("; ", scenario.LoadSimulations.Select(s => s.Describe()));
        foreach (var (key, value) in cli.Settings) properties[$"set {key}"] = value;
        return properties;
    }

    private static IReadOnlyList<ReportFormat>? ConfigFormats(LoadTestConfig config) =>
        config.ReportFormats?.SelectMany(f => CommandLineParser.ParseFormat(f)
            ?? throw new UsageException($"config file: $.reportFormats: '{f}' is unknown (use html, md, csv, txt, json or all)")).Distinct().ToList();

    private static string Known(IReadOnlyList<ScenarioFactory> factories) =>
        factories.Count == 0 ? "no scenarios are registered" : "known: " + string.Join(", ", factories.Select(f => f.Name));

    private static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat([' ', '+', '/']).ToHashSet();
        return new string(name.Select(c => invalid.Contains(c) ? '-' : c).ToArray());
    }
}
