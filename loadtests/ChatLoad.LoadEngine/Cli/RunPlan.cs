using System.Globalization;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>Everything a run needs, settled before it starts: code defaults, overridden by the config file,
/// overridden by the command line.</summary>
internal sealed record RunPlan(LoadRunRequest Request, EngineOptions Engine, string ReportFolder, IReadOnlyList<ReportFormat> ReportFormats);

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
        foreach (var name in names)
        {
            var factory = factories.FirstOrDefault(f => f.Name == name)
                ?? throw new UsageException($"unknown scenario '{name}' ({Known(factories)})");
            var fromFile = config.Scenarios.FirstOrDefault(s => s.Name == name);
            scenarios.Add(BuildScenario(factory, fromFile, cli));
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
        return new RunPlan(request, config.Engine ?? new EngineOptions(), folder, formats);
    }

    private static ScenarioProps BuildScenario(ScenarioFactory factory, ScenarioConfig? fromFile, CommandLineOptions cli)
    {
        var custom = new Dictionary<string, string>(fromFile?.CustomSettings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in cli.Settings) custom[key] = value;
        var settings = new ScenarioSettings
        {
            Target = cli.Target ?? fromFile?.Target,
            Clients = cli.Clients ?? fromFile?.Clients,
            Rate = cli.Rate ?? fromFile?.Rate,
            Duration = cli.Duration ?? fromFile?.Duration,
            WarmUp = cli.WarmUp ?? fromFile?.WarmUp,
            Custom = custom,
        };

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

        // The file's explicit load simulations replace the code's, unless the command line asked for a different
        // shape of load (then the factory has built it from those settings).
        bool cliShapesLoad = cli.Rate is not null || cli.Clients is not null || cli.Duration is not null;
        if (fromFile?.LoadSimulations is { Count: > 0 } simulations && !cliShapesLoad)
            scenario = scenario.WithLoadSimulations(simulations.ToArray());
        if (settings.WarmUp is { } warmUp) scenario = scenario.WithWarmUpDuration(warmUp);
        if (fromFile?.Thresholds is { Count: > 0 } fileThresholds)
            scenario = scenario.WithThresholds(scenario.Thresholds.Concat(fileThresholds.Select(t => new Threshold(t))).ToArray());

        // The scenario sees every custom setting, whether or not its factory copied them over; the config file's and
        // --set's override the code's defaults.
        var merged = new Dictionary<string, string>(scenario.CustomSettings, StringComparer.Ordinal);
        foreach (var (key, value) in custom) merged[key] = value;
        return scenario.WithCustomSettings(merged);
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
        if ((cli.Duration ?? first?.Duration) is { } duration) properties["duration"] = DurationText.Format(duration);
        if ((cli.WarmUp ?? first?.WarmUp) is { } warmUp) properties["warm-up"] = DurationText.Format(warmUp);
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
