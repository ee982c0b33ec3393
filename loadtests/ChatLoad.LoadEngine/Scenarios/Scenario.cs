namespace ChatLoad.LoadEngine;

/// <summary>Where a scenario starts, by NBomber's name: <c>Scenario.Create("name", async context =&gt; Response.Ok())</c>.</summary>
public static class Scenario
{
    /// <summary>A scenario named <paramref name="name"/> whose every iteration calls <paramref name="run"/>; shape it
    /// with the <c>With*</c> methods of <see cref="ScenarioProps"/>.</summary>
    /// <param name="name">Unique in a run; what <c>--scenario</c>, thresholds (<c>name/p99 &lt; 50ms</c>) and reports call it.</param>
    /// <param name="run">One iteration. Return <see cref="Response.Ok"/> or <see cref="Response.Fail"/>; an exception
    /// counts as a failure with status "exception". It runs on many copies at once: keep per-copy state in
    /// <see cref="ScenarioContext.ScenarioInstanceData"/> or a <see cref="ClientPool{T}"/>.</param>
    public static ScenarioProps Create(string name, Func<ScenarioContext, ValueTask<Response>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        return new ScenarioProps { Name = name, Run = run };
    }
}

/// <summary>
/// A named workload: optional init and clean, and a run function called once per iteration (NBomber's
/// <c>ScenarioProps</c>). Immutable: each <c>With*</c> method returns a changed copy.
/// </summary>
public sealed record ScenarioProps
{
    /// <summary>Unique in a run; see <see cref="Scenario.Create"/>.</summary>
    public required string Name { get; init; }

    /// <summary>One iteration; see <see cref="Scenario.Create"/>.</summary>
    public required Func<ScenarioContext, ValueTask<Response>> Run { get; init; }

    /// <summary>Runs once before the warm-up; see <see cref="WithInit"/>.</summary>
    public Func<ScenarioInitContext, Task>? Init { get; init; }

    /// <summary>Runs once after the last iteration; see <see cref="WithClean"/>.</summary>
    public Func<ScenarioInitContext, Task>? Clean { get; init; }

    /// <summary>The load, in sequence. Default: one copy for 10 s, so a scenario made without any is still bounded.</summary>
    public IReadOnlyList<LoadSimulation> LoadSimulations { get; init; } = [Simulation.KeepConstant(1, TimeSpan.FromSeconds(10))];

    /// <summary>Load run before measuring, not counted. Default none (NBomber's is 30 s; a short chat run would
    /// spend most of its time warming up).</summary>
    public TimeSpan WarmUpDuration { get; init; } = TimeSpan.Zero;

    /// <summary>Pass/fail criteria checked on the final result; see <see cref="Threshold"/>.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>Scenario-specific settings (<c>--set key=value</c> and the config file's <c>customSettings</c> are
    /// merged over these), read from <see cref="ScenarioContext.CustomSettings"/>.</summary>
    public IReadOnlyDictionary<string, string> CustomSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>One line for <c>--list</c> and the report.</summary>
    public string Description { get; init; } = "";

    /// <summary>Prepares the scenario before the warm-up: connect clients, fill a <see cref="ClientPool{T}"/>, register
    /// metrics. If it throws, the scenario does not run, the report says why and the exit code is 1.</summary>
    public ScenarioProps WithInit(Func<ScenarioInitContext, Task> init) => this with { Init = init };

    /// <summary>Releases what init made, after the last iteration; runs even after Ctrl+C, bounded by
    /// <see cref="EngineOptions.CleanTimeout"/>. An exception is a note in the report, not a failure.</summary>
    public ScenarioProps WithClean(Func<ScenarioInitContext, Task> clean) => this with { Clean = clean };

    /// <summary>Replaces the load simulations; they run one after another.</summary>
    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations) => this with { LoadSimulations = simulations };

    /// <summary>Runs the first simulation's load for <paramref name="duration"/> before measuring, uncounted.</summary>
    public ScenarioProps WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };

    /// <summary>Measures from the first iteration.</summary>
    public ScenarioProps WithoutWarmUp() => this with { WarmUpDuration = TimeSpan.Zero };

    /// <summary>Replaces the thresholds; a broken one makes the run's exit code 1.</summary>
    public ScenarioProps WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds };

    /// <summary>Sets the line <c>--list</c> shows.</summary>
    public ScenarioProps WithDescription(string description) => this with { Description = description };

    /// <summary>Replaces the custom settings (the defaults that <c>--set</c> overrides).</summary>
    public ScenarioProps WithCustomSettings(IReadOnlyDictionary<string, string> settings) => this with { CustomSettings = settings };
}
