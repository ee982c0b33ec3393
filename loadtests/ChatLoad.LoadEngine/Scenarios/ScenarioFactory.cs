namespace ChatLoad.LoadEngine;

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

    /// <summary>On an agent of a cluster run: this agent's part (then <see cref="Clients"/> and <see cref="Rate"/> are
    /// its shares, and <see cref="ClusterShare.TotalClients"/> the whole run's); null outside a cluster run.</summary>
    public ClusterShare? Cluster { get; init; }
}

/// <summary>A scenario a suite offers: listed by <c>--list</c>, built from the command line's and config file's
/// settings by <see cref="Create"/>. Register one when the settings shape the scenario (a chat scenario's
/// <c>--clients</c> are connections, its <c>--rate</c> messages a second); a scenario built in code is registered
/// as it is (<see cref="From"/>) and the settings are applied to it by one general rule.</summary>
/// <param name="Name">What <c>--scenario</c> names; the built scenario is given this name.</param>
/// <param name="Description">One line for <c>--list</c>.</param>
/// <param name="Create">Builds the scenario; an exception rejects the settings (exit code 2, with its message).</param>
public sealed record ScenarioFactory(string Name, string Description, Func<ScenarioSettings, ScenarioProps> Create)
{
    /// <summary>
    /// A scenario built in code (NBomber's way), shaped by the settings as follows: <c>--rate R</c> replaces its load
    /// with <c>Inject(R per second)</c>, <c>--clients N</c> with <c>KeepConstant(N)</c>, each for <c>--duration</c> (or
    /// as long as its own simulations last); <c>--duration</c> alone stretches a single simulation; <c>--target</c>
    /// becomes the custom setting <c>target</c>. The config file's <c>loadSimulations</c> replace the load outright.
    /// </summary>
    public static ScenarioFactory From(ScenarioProps scenario) =>
        new(scenario.Name, scenario.Description, settings => ApplySettings(scenario, settings));

    private static ScenarioProps ApplySettings(ScenarioProps scenario, ScenarioSettings settings)
    {
        var during = settings.Duration ?? TimeSpan.FromTicks(scenario.LoadSimulations.Sum(s => s.Duration.Ticks));
        if (settings.Rate is { } rate)
        {
            if (rate < 1 || rate > int.MaxValue) throw new ArgumentException($"--rate {rate}: expected 1 or more iterations per second");
            scenario = scenario.WithLoadSimulations(Simulation.Inject((int)Math.Round(rate), TimeSpan.FromSeconds(1), during));
        }
        else if (settings.Clients is { } copies)
        {
            scenario = scenario.WithLoadSimulations(Simulation.KeepConstant(copies, during));
        }
        else if (settings.Duration is { } duration)
        {
            if (scenario.LoadSimulations.Count != 1)
                throw new ArgumentException($"--duration alone cannot stretch {scenario.LoadSimulations.Count} load simulations: give --rate or --clients with it, or loadSimulations in the config file");
            scenario = scenario.WithLoadSimulations(scenario.LoadSimulations[0] switch
            {
                InjectSimulation s => s with { During = duration },
                RampingInjectSimulation s => s with { During = duration },
                KeepConstantSimulation s => s with { During = duration },
                RampingConstantSimulation s => s with { During = duration },
                IterationsForConstantSimulation s => s with { Timeout = duration },
                PauseSimulation s => s with { During = duration },
                var other => other,
            });
        }
        if (settings.Target is { } target)
        {
            var custom = new Dictionary<string, string>(scenario.CustomSettings, StringComparer.Ordinal) { ["target"] = target };
            scenario = scenario.WithCustomSettings(custom);
        }
        return scenario;
    }
}
