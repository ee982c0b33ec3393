namespace ChatLoad.LoadEngine.Cli;

/// <summary>
/// The settings a user gives a suite's scenario on the command line or in the JSON config. The engine parses and
/// validates them (CLI over config file over code defaults); the suite turns them into a <see cref="ScenarioProps"/>.
/// Null means "not given": the scenario uses its own default.
/// </summary>
public sealed record ScenarioSettings
{
    /// <summary><c>--target HOST:PORT</c>.</summary>
    public string? Target { get; init; }

    /// <summary><c>--clients N</c>: connections / concurrent copies.</summary>
    public int? Clients { get; init; }

    /// <summary><c>--rate R</c>: open-model iterations (e.g. messages) per second.</summary>
    public double? Rate { get; init; }

    /// <summary><c>--duration 30s</c>: the measured part of the run.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary><c>--warmup 5s</c>: not counted.</summary>
    public TimeSpan? WarmUp { get; init; }

    /// <summary>Scenario-specific settings from the config file's <c>customSettings</c> and <c>--set key=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Custom { get; init; } = new Dictionary<string, string>();
}

/// <summary>A scenario a suite offers: listed by <c>--list</c>, built from settings by <see cref="Create"/>.</summary>
public sealed record ScenarioFactory(string Name, string Description, Func<ScenarioSettings, ScenarioProps> Create);
