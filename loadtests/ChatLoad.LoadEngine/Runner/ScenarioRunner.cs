using System.Collections.Concurrent;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Stats;
using Microsoft.Extensions.Logging;

namespace ChatLoad.LoadEngine.Runner;

/// <summary>
/// Runs one scenario: init → warm-up (not counted) → load simulations in sequence → drain → clean, and builds its
/// <see cref="ScenarioResult"/>. The open-model scheduler and closed-model copies live in the partial files beside it.
/// </summary>
internal sealed partial class ScenarioRunner
{
    private readonly ScenarioProps _scenario;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<SimulationPhase> _phases;
    private readonly CancellationTokenSource _stopIterations = new();
    private readonly IterationExecutor _executor;
    private readonly ConcurrentBag<ScenarioContext> _contextPool = new();
    private readonly List<string> _notes = new();
    private int _nextContextSlot;
    private readonly int _maxCopies;
    private readonly ILogger _logger;
    private readonly IClusterMember? _cluster;

    // Progress, written by the run and read by the live console.
    private volatile ScenarioStage _stage = ScenarioStage.Waiting;
    private volatile SimulationPhase? _currentPhase;
    private int _currentPhaseNumber;
    private long _phaseStarted;
    private volatile TimeSeriesPoint? _lastSecond;

    public ScenarioStatsCollector Stats { get; }
    public string Name => _scenario.Name;
    public ScenarioProps Scenario => _scenario;
    public string? InitError { get; private set; }

    /// <summary>Set when init failed because the target did not answer.</summary>
    public string? TargetUnreachable { get; private set; }
    public Dictionary<string, string> Properties { get; } = new();

    public ScenarioRunner(ScenarioProps scenario, EngineOptions options, TimeProvider time, ILogger logger, IClusterMember? cluster = null)
    {
        _cluster = cluster;
        _scenario = scenario;
        _options = options;
        _time = time;
        _logger = logger;
        _phases = SimulationPhase.Resolve(scenario.LoadSimulations);
        _maxCopies = _phases.Select(p => p switch
        {
            ClosedPhase c => Math.Max(c.StartCopies, c.EndCopies),
            FixedIterationsPhase f => f.Copies, // its warm-up runs as a constant phase of that many copies
            _ => 0,
        }).DefaultIfEmpty(0).Max();
        Stats = new ScenarioStatsCollector(scenario.Name, time);
        _executor = new IterationExecutor(scenario, Stats, time, _stopIterations.Token);
    }

    public TimeSpan PlannedMeasuredDuration => TimeSpan.FromTicks(_phases.Sum(p => p.Duration.Ticks));

    public async Task<ScenarioResult> RunAsync(CancellationToken stop)
    {
        var initContext = NewInitContext(stop);
        _stage = ScenarioStage.Init;
        bool initOk = await TryInitAsync(initContext);
        // On an agent, no scenario's load starts until every agent's init is done: the start instant is agreed.
        if (_cluster is not null) await _cluster.WaitForStartAsync(Name, initOk, InitError, stop);
        if (!initOk) return BuildResult(TimeSpan.Zero, initContext);

        var warmUp = SimulationPhase.WarmUpFor(_phases.FirstOrDefault(), _scenario.WarmUpDuration);
        if (warmUp is not null && !stop.IsCancellationRequested)
        {
            _stage = ScenarioStage.WarmUp;
            await RunPhaseAsync(warmUp, 0, _time.GetTimestamp(), warmUp: true, _phases, stop);
        }

        long measureStart = _time.GetTimestamp();
        Stats.StartMeasuring(measureStart);
        _stage = ScenarioStage.Running;
        using var sampling = new CancellationTokenSource();
        var sampler = SampleEverySecondAsync(sampling.Token);

        // Each phase starts at the previous one's nominal end, not when its timer happened to fire, so timer
        // overshoot neither opens gaps between phases nor stretches the measured duration.
        long phaseStart = measureStart;
        for (int i = 0; i < _phases.Count && !stop.IsCancellationRequested; i++)
            phaseStart = await RunPhaseAsync(_phases[i], i + 1, phaseStart, warmUp: false, _phases.Skip(i + 1).ToList(), stop);
        var measured = _time.GetElapsedTime(measureStart, Math.Min(phaseStart, _time.GetTimestamp()));

        _stage = ScenarioStage.Draining;
        await DrainAsync();
        _stopIterations.Cancel();
        sampling.Cancel();
        await sampler;
        Stats.StopMeasuring();
        Stats.SampleFinal(_time.GetTimestamp());
        _lastSecond = Stats.TimeSeries().LastOrDefault();

        await CleanAsync(initContext, stop);
        _stage = ScenarioStage.Done;
        return BuildResult(measured, initContext);
    }

    private ScenarioInfo InfoFor(int instanceNumber) => new(_scenario.Name, instanceNumber, PlannedMeasuredDuration);

    private ScenarioInitContext NewInitContext(CancellationToken token) =>
        new(InfoFor(0), Stats.Metrics, _scenario.CustomSettings, _time, _logger, _scenario.LoadSimulations, token, _cluster?.ShareFor(Name));

    private async Task<bool> TryInitAsync(ScenarioInitContext context)
    {
        if (_scenario.Init is null) return true;
        try
        {
            await _scenario.Init(context);
            return true;
        }
        catch (TargetUnreachableException ex)
        {
            InitError = $"init failed: the target did not answer: {ex.Message}";
            TargetUnreachable = ex.Message;
            _stage = ScenarioStage.Failed;
            return false;
        }
        catch (Exception ex)
        {
            InitError = $"init failed: {ex.GetType().Name}: {ex.Message}";
            _logger.LogError(ex, "init failed");
            _stage = ScenarioStage.Failed;
            return false;
        }
    }

    private async Task CleanAsync(ScenarioInitContext context, CancellationToken stop)
    {
        if (_scenario.Clean is null) return;
        _stage = ScenarioStage.Clean;
        // Clean runs even after Ctrl+C (connections should close politely), but only for a bounded time.
        using var cleanTimeout = new CancellationTokenSource(_options.CleanTimeout, _time);
        var cleanContext = NewInitContext(cleanTimeout.Token);
        try
        {
            await _scenario.Clean(cleanContext).WaitAsync(_options.CleanTimeout, _time);
        }
        catch (Exception ex)
        {
            _notes.Add($"clean failed: {ex.GetType().Name}: {ex.Message}");
            _logger.LogError(ex, "clean failed");
        }
        _notes.AddRange(cleanContext.Notes);
        foreach (var (key, value) in cleanContext.Properties) Properties[key] = value;
    }

    private ScenarioResult BuildResult(TimeSpan measured, ScenarioInitContext initContext)
    {
        var notes = new List<string>();
        if (InitError is not null) notes.Add(InitError);
        notes.AddRange(initContext.Notes);
        notes.AddRange(_notes);
        foreach (var (key, value) in initContext.Properties) Properties.TryAdd(key, value);
        return Stats.BuildResult(measured, _scenario.LoadSimulations.Select(s => s.Describe()).ToList(), notes) with
        {
            HeadlineLatency = _scenario.HeadlineLatency,
            TargetUnreachable = TargetUnreachable,
        };
    }

    /// <summary>Runs one phase that begins at <paramref name="start"/> (a timestamp, possibly a moment ago) and
    /// returns its nominal end: start + duration, or the moment it stopped if that came first.</summary>
    private async Task<long> RunPhaseAsync(SimulationPhase phase, int number, long start, bool warmUp,
        IReadOnlyList<SimulationPhase> following, CancellationToken stop)
    {
        _currentPhase = phase;
        Volatile.Write(ref _currentPhaseNumber, number);
        Volatile.Write(ref _phaseStarted, start);
        long nominalEnd = start + ToTicks(phase.Duration);
        try
        {
            switch (phase)
            {
                case OpenPhase open: await RunOpenPhaseAsync(open, start, warmUp, stop); break;
                case ClosedPhase closed: await RunClosedPhaseAsync(closed, start, warmUp, following, stop); break;
                case FixedIterationsPhase fixedIterations: await RunFixedIterationsPhaseAsync(fixedIterations, stop); break;
                case PausePhase: await DelayUntilAsync(nominalEnd, stop); break;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C: stop starting iterations; the drain and the reports still happen.
        }
        return Math.Min(nominalEnd, _time.GetTimestamp());
    }

    private async Task DelayUntilAsync(long timestamp, CancellationToken stop)
    {
        var rest = _time.GetElapsedTime(_time.GetTimestamp(), timestamp);
        if (rest > TimeSpan.Zero) await Task.Delay(rest, _time, stop);
    }

    /// <summary>Lets in-flight iterations finish, up to <see cref="EngineOptions.DrainTimeout"/>.</summary>
    private async Task DrainAsync()
    {
        long started = _time.GetTimestamp();
        while (_executor.InFlight > 0 && _time.GetElapsedTime(started) < _options.DrainTimeout)
            await Task.Delay(TimeSpan.FromMilliseconds(5), _time);
        if (_executor.InFlight > 0)
            _notes.Add($"{_executor.InFlight} iterations were still running {_options.DrainTimeout.TotalSeconds:0.#} s after the last simulation and were cancelled");
    }

    private async Task SampleEverySecondAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop)) _lastSecond = Stats.SampleSecond(_time.GetTimestamp());
        }
        catch (OperationCanceledException)
        {
        }
    }

    private ScenarioContext RentContext(bool warmUp)
    {
        if (!_contextPool.TryTake(out var context)) context = NewContext(Interlocked.Increment(ref _nextContextSlot) - 1);
        context.IsWarmUp = warmUp;
        return context;
    }

    private void ReturnContext(ScenarioContext context) => _contextPool.Add(context);

    private ScenarioContext NewContext(int instanceNumber) =>
        new(InfoFor(instanceNumber), Stats.Metrics, _scenario.CustomSettings, _time, _logger, _stopIterations.Token, Stats);

    public ScenarioProgress Progress()
    {
        var phase = _currentPhase;
        long now = _time.GetTimestamp();
        var counts = Stats.Iterations.ReadCounts();
        var last = _lastSecond;
        var stage = _stage;
        return new ScenarioProgress
        {
            Name = Name,
            Stage = stage,
            SimulationNumber = Volatile.Read(ref _currentPhaseNumber),
            SimulationCount = _phases.Count,
            Simulation = phase?.Description ?? "",
            SimulationElapsed = phase is null ? TimeSpan.Zero : _time.GetElapsedTime(Volatile.Read(ref _phaseStarted), now),
            SimulationDuration = phase?.Duration ?? TimeSpan.Zero,
            MeasuredElapsed = stage >= ScenarioStage.Running && stage != ScenarioStage.Failed ? Stats.MeasuredSoFar(now) : TimeSpan.Zero,
            PlannedMeasuredDuration = PlannedMeasuredDuration,
            LastSecond = last,
            Ok = counts.Ok,
            Fail = counts.Fail,
            Late = Stats.LateCount,
            Dropped = Stats.DroppedCount,
            InFlight = _executor.InFlight,
            Metrics = last?.Metrics ?? new Dictionary<string, double>(),
        };
    }
}
