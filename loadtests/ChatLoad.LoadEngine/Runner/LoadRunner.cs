using ChatLoad.LoadEngine.Health;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Runner;
using ChatLoad.LoadEngine.Thresholds;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatLoad.LoadEngine;

/// <summary>What to run and how to label it.</summary>
public sealed record LoadRunRequest
{
    /// <summary>The scenarios, run at once; names must be unique.</summary>
    public required IReadOnlyList<ScenarioProps> Scenarios { get; init; }

    /// <summary>Run-level thresholds: "scenario/..." applies to that scenario, an unprefixed one to every scenario.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>The name in the reports.</summary>
    public string TestName { get; init; } = "load test";

    /// <summary>The command line, for the report's test info.</summary>
    public string Command { get; init; } = "";

    /// <summary>Facts for the report's test info (target, clients ...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Run-level notes for the report.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// Runs one or more scenarios at once (each: init → warm-up → load simulations → clean) while watching the
/// generator's own health, then evaluates thresholds and returns the complete <see cref="RunResult"/>.
/// </summary>
public sealed class LoadRunner : ILiveRun
{
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly IClusterMember? _cluster;
    private volatile IReadOnlyList<ScenarioRunner> _runners = [];
    private volatile GeneratorMonitor? _monitor;

    /// <param name="options">The runner's limits; defaults suit a 2-core generator.</param>
    /// <param name="time">The clock (fake time in tests).</param>
    /// <param name="loggers">Where <see cref="ScenarioContext.Logger"/> writes, one category per scenario; none by default.</param>
    public LoadRunner(EngineOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        _options = options ?? new EngineOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    /// <summary>A runner that runs its scenarios as one agent's share of a cluster run.</summary>
    internal LoadRunner(EngineOptions? options, TimeProvider? time, ILoggerFactory? loggers, IClusterMember cluster)
        : this(options, time, loggers) => _cluster = cluster;

    internal IReadOnlyList<ScenarioProgress> Progress() => _runners.Select(r => r.Progress()).ToList();

    internal IReadOnlyList<string> LiveWarnings() => _monitor?.CurrentWarnings ?? [];

    IReadOnlyList<ScenarioProgress> ILiveRun.Progress() => Progress();

    IReadOnlyList<string> ILiveRun.LiveWarnings() => LiveWarnings();

    IReadOnlyList<AgentProgress> ILiveRun.Agents() => [];

    GeneratorSample? ILiveRun.LastGeneratorSample() => _monitor?.LastSample;

    /// <summary>A scenario's time-series points from <paramref name="first"/> on, and which of their metrics are
    /// counters and which server-wide gauges (a cluster agent reports them every second).</summary>
    internal (IReadOnlyList<TimeSeriesPoint> Points, IReadOnlyList<string> Counters, IReadOnlyList<string> SharedGauges) SeriesSince(string scenario, int first)
    {
        var runner = _runners.FirstOrDefault(r => r.Name == scenario);
        if (runner is null) return ([], [], []);
        var series = runner.Stats.TimeSeries();
        return (series.Skip(first).ToList(), runner.Stats.Metrics.CounterNames(), runner.Stats.Metrics.SharedGaugeNames());
    }

    /// <summary>Throws <see cref="ArgumentException"/> for duplicate names, bad simulations or bad thresholds, before
    /// anything runs.</summary>
    public static void Validate(LoadRunRequest request)
    {
        if (request.Scenarios.Count == 0) throw new ArgumentException("no scenario to run");
        var duplicate = request.Scenarios.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"scenario '{duplicate.Key}' is given twice");
        foreach (var scenario in request.Scenarios)
        {
            if (string.IsNullOrWhiteSpace(scenario.Name)) throw new ArgumentException("a scenario needs a name");
            if (scenario.LoadSimulations.Count == 0) throw new ArgumentException($"scenario {scenario.Name}: no load simulations");
            if (scenario.WarmUpDuration < TimeSpan.Zero) throw new ArgumentException($"scenario {scenario.Name}: negative warm-up");
            foreach (var simulation in scenario.LoadSimulations)
            {
                try { SimulationPhase.Validate(simulation); }
                catch (ArgumentException ex) { throw new ArgumentException($"scenario {scenario.Name}: {ex.Message}"); }
            }
            foreach (var threshold in scenario.Thresholds) CheckNames(ParseOrThrow(threshold), [scenario]);
        }
        foreach (var threshold in request.Thresholds)
        {
            var spec = ParseOrThrow(threshold);
            if (spec.Scenario is not null && request.Scenarios.All(s => s.Name != spec.Scenario))
                throw new ArgumentException($"threshold \"{threshold.Expression}\" names scenario '{spec.Scenario}', which is not being run");
            CheckNames(spec, request.Scenarios.Where(s => spec.Scenario is null || s.Name == spec.Scenario).ToArray());
        }
    }

    /// <summary>A threshold naming a counter, gauge, histogram or step that none of its scenarios records would only
    /// fail after the whole run ("no such metric"): where the scenarios declare their names, it fails now.</summary>
    private static void CheckNames(ThresholdSpec spec, IReadOnlyList<ScenarioProps> scenarios)
    {
        if (scenarios.Count == 0 || scenarios.Any(s => s.DeclaredMetrics is null)) return;
        (string kind, string? name, Func<ScenarioMetricNames, IReadOnlyList<string>> list) = spec switch
        {
            { Step: { } step } => ("step", step, (Func<ScenarioMetricNames, IReadOnlyList<string>>)(n => n.Steps)),
            { Stat: ThresholdStat.Counter } => ("counter", spec.MetricName, n => n.Counters),
            { Stat: ThresholdStat.Gauge } => ("gauge", spec.MetricName, n => n.Gauges),
            { Stat: ThresholdStat.Histogram } => ("histogram", spec.MetricName, n => n.Histograms),
            _ => ("", (string?)null, n => []),
        };
        if (name is null) return;
        var known = scenarios.SelectMany(s => list(s.DeclaredMetrics!)).Distinct().ToArray();
        if (known.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))) return;
        string? near = ChatLoad.CommandLine.Suggestions.Nearest(name, known);
        throw new ArgumentException($"threshold \"{spec.Expression}\" names {kind} '{name}', which {string.Join(", ", scenarios.Select(s => s.Name))} " +
            $"does not record ({(known.Length == 0 ? $"it records no {kind}s" : $"known: {string.Join(", ", known)}")})" + (near is null ? "" : $"; did you mean '{near}'?"));
    }

    private static ThresholdSpec ParseOrThrow(Threshold threshold)
    {
        try { return ThresholdParser.ParseSpec(threshold.Expression); }
        catch (FormatException ex) { throw new ArgumentException(ex.Message); }
    }

    /// <summary>Runs the request's scenarios at once and returns the result with every threshold evaluated. Never
    /// throws for what a scenario does (a failed init is a failed threshold); throws <see cref="ArgumentException"/>
    /// for a request that <see cref="Validate"/> rejects.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Stops the run early (Ctrl+C): no new iterations, then drain, clean and result.</param>
    public async Task<RunResult> RunAsync(LoadRunRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var started = _time.GetUtcNow();
        long startTimestamp = _time.GetTimestamp();
        var runners = request.Scenarios.Select(s => new ScenarioRunner(s, _options, _time, _loggers.CreateLogger(s.Name), _cluster)).ToList();
        _runners = runners;

        using var monitor = _options.MonitorGenerator ? new GeneratorMonitor(_time) : null;
        _monitor = monitor;
        monitor?.Start();

        // Scenarios start together; each runs its own stages on its own clock.
        var scenarios = await Task.WhenAll(runners.Select(r => Task.Run(() => r.RunAsync(cancellationToken), CancellationToken.None)));

        var thresholds = new List<ThresholdResult>();
        thresholds.AddRange(runners.Where(r => r.InitError is not null)
            .Select(r => new ThresholdResult(r.Name, "init", false, null, r.InitError!)));
        thresholds.AddRange(ThresholdEvaluator.EvaluateAll(scenarios,
            runners.ToDictionary(r => r.Name, r => r.Scenario.Thresholds), request.Thresholds));

        var scheduleWarnings = SaturationRules.ScheduleWarnings(scenarios).ToList();
        var generator = monitor?.Stop(scheduleWarnings) ?? new GeneratorHealth { Warnings = scheduleWarnings };

        var properties = new Dictionary<string, string>(request.Properties);
        foreach (var runner in runners)
            foreach (var (key, value) in runner.Properties) properties.TryAdd(key, value);

        var notes = request.Notes.ToList();
        if (cancellationToken.IsCancellationRequested) notes.Add("The run was cancelled before its load simulations finished.");

        return new RunResult
        {
            Info = new TestInfo
            {
                TestName = request.TestName,
                SessionId = $"{started:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}",
                Started = started,
                Duration = _time.GetElapsedTime(startTimestamp),
                Command = request.Command,
                Properties = properties,
            },
            Scenarios = scenarios,
            Thresholds = thresholds,
            Generator = generator,
            Notes = notes,
        };
    }
}
