using System.Collections.Concurrent;
using System.Net;
using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Runner;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatLoad.LoadEngine.Cluster.Agent;

/// <summary>
/// One run on an agent: the agent's share of every scenario, run by an ordinary <see cref="LoadRunner"/>, plus what
/// ties it to the cluster — the start barrier (report ready, wait for the agreed instant), the collectives, a progress
/// report every second (which is also the heartbeat), a watch on the coordinator's heartbeat, and, at the end, the
/// whole result sent back.
/// </summary>
internal sealed class AgentRun : IClusterMember, IClusterCollectives
{
    /// <summary>Points resent in each progress report besides the new ones, so one lost report loses no second.</summary>
    private const int ResentPoints = 2;

    private readonly ClusterConnection _nats;
    private readonly RunAssignment _assignment;
    private readonly LoadRunRequest _request;
    private readonly IReadOnlyDictionary<string, ClusterShare> _shares;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StartSignal>> _starts = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IReadOnlyList<ReadOnlyMemory<byte>>>> _gathers = new();
    private readonly Dictionary<string, int> _pointsSent = new();
    private long _lastHeartbeat;
    private long _sequence;
    private volatile bool _aborted;
    private LoadRunner? _runner;

    private AgentRun(ClusterConnection nats, RunAssignment assignment, LoadRunRequest request, IReadOnlyDictionary<string, ClusterShare> shares,
        TextWriter log, TimeProvider time)
    {
        _nats = nats;
        _assignment = assignment;
        _request = request;
        _shares = shares;
        _log = log;
        _time = time;
    }

    public string RunId => _assignment.RunId;

    private string Name => _assignment.Agents[_assignment.AgentIndex].Name;

    /// <summary>Builds this agent's share of the run from its catalog; throws <see cref="UsageException"/> naming what
    /// it cannot run (then the agent refuses the assignment with that message).</summary>
    public static AgentRun Create(ClusterConnection nats, RunAssignment assignment, IReadOnlyList<ScenarioFactory> catalog,
        IReadOnlyList<IPAddress> sources, TextWriter log, TimeProvider time)
    {
        var shares = new Dictionary<string, ClusterShare>(StringComparer.Ordinal);
        AgentRun? run = null;
        var scenarios = new List<ScenarioProps>();
        // The collectives are this run's, which does not exist yet: the shares reach it through a forwarder.
        var forward = new ForwardingCollectives(() => run!);
        foreach (var assigned in assignment.Scenarios)
        {
            var factory = catalog.FirstOrDefault(f => f.Name == assigned.Name)
                ?? throw new UsageException($"scenario '{assigned.Name}' is not in this agent's catalog ({string.Join(", ", catalog.Select(f => f.Name))}): " +
                                            "start the agent with --assembly PATH for a scenario of your own");
            var share = new ClusterShare(assignment.RunId, assigned.Name, assignment.AgentIndex, assignment.Agents, assigned.ClientShares, sources,
                assigned.RunsIterations, forward, time);
            shares[assigned.Name] = share;
            var settings = new ScenarioSettings
            {
                Target = assigned.Target,
                Clients = assigned.Clients,
                Rate = assigned.Rate,
                Duration = assigned.Duration,
                WarmUp = assigned.WarmUp,
                Custom = assigned.Custom,
                Cluster = share,
            };
            LoadSimulation[] simulations;
            try
            {
                simulations = assigned.LoadSimulations.Select(s => s.ToSimulation()).ToArray();
            }
            catch (FormatException ex)
            {
                throw new UsageException($"scenario {assigned.Name}: {ex.Message}");
            }
            scenarios.Add(RunPlanBuilder.CreateScenario(factory, settings)
                .WithLoadSimulations(simulations)
                .WithWarmUpDuration(assigned.WarmUp)
                .WithThresholds(assigned.Thresholds.Select(t => new Threshold(t)).ToArray()));
        }
        var request = new LoadRunRequest
        {
            Scenarios = scenarios,
            Thresholds = assignment.RunThresholds.Select(t => new Threshold(t)).ToList(),
            TestName = assignment.TestName,
            Command = assignment.Command,
            Properties = new Dictionary<string, string> { ["cluster agent"] = assignment.Agents[assignment.AgentIndex].Name },
        };
        try
        {
            LoadRunner.Validate(request);
            assignment.Engine.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        run = new AgentRun(nats, assignment, request, shares, log, time);
        return run;
    }

    /// <summary>Runs the share, reporting as it goes; returns when the result is sent (or the run was dropped).</summary>
    public async Task RunAsync()
    {
        using var watch = new CancellationTokenSource();
        Volatile.Write(ref _lastHeartbeat, _time.GetTimestamp());
        var heartbeats = ListenForHeartbeatsAsync(await _nats.ListenAsync(ClusterProtocol.ToRun(RunId, "heartbeat"), CancellationToken.None).ConfigureAwait(false), watch.Token);
        _runner = new LoadRunner(_assignment.Engine, _time, NullLoggerFactory.Instance, this);
        var run = _runner.RunAsync(_request, _stop.Token);
        var reporting = ReportUntilDoneAsync(run);
        RunResult result;
        try
        {
            result = await run.ConfigureAwait(false);
        }
        finally
        {
            await reporting.ConfigureAwait(false);
            watch.Cancel();
            await heartbeats.ConfigureAwait(false);
        }
        if (_aborted)
        {
            _log.WriteLine($"agent {Name}: run {RunId} dropped");
            return;
        }
        await PublishProgressAsync(CancellationToken.None).ConfigureAwait(false);
        var json = System.Text.Encoding.UTF8.GetBytes(RunResultJson.Serialize(result));
        try
        {
            using var bound = new CancellationTokenSource(_assignment.Timing.CoordinatorTimeout * 2);
            await BlobTransfer.SendAsync(_nats, ClusterProtocol.ToRun(RunId, "result"),
                new Dictionary<string, string> { ["Kind"] = "result", ["Agent"] = Name }, json,
                _assignment.Timing.CoordinatorTimeout, bound.Token).ConfigureAwait(false);
            _log.WriteLine($"agent {Name}: run {RunId} done; result sent ({json.Length / 1024.0:0} KB)");
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or ClusterProtocolException or NATS.Client.Core.NatsException)
        {
            _log.WriteLine($"agent {Name}: run {RunId} done, but its result could not be sent: {ex.Message}");
        }
    }

    /// <summary>Stop the load now; drain, clean and send the result as usual.</summary>
    public void Stop(string reason)
    {
        if (_stop.IsCancellationRequested) return;
        _log.WriteLine($"agent {Name}: stopping run {RunId}: {reason}");
        _stop.Cancel();
    }

    /// <summary>Drop the run: stop it and send nothing (the coordinator gave up on it, or is gone).</summary>
    public void Abort(string reason)
    {
        _aborted = true;
        Stop(reason);
    }

    public void OnStart(StartSignal signal) =>
        _starts.GetOrAdd(signal.Scenario, _ => NewCompletion<StartSignal>()).TrySetResult(signal);

    public void OnGathered(string scenario, string key, byte[] frame) =>
        _gathers.GetOrAdd(scenario + "/" + key, _ => NewCompletion<IReadOnlyList<ReadOnlyMemory<byte>>>()).TrySetResult(GatherFrame.Decode(frame));

    ClusterShare IClusterMember.ShareFor(string scenario) => _shares[scenario];

    async Task IClusterMember.WaitForStartAsync(string scenario, bool initOk, string? initError, CancellationToken stop)
    {
        var started = _starts.GetOrAdd(scenario, _ => NewCompletion<StartSignal>());
        try
        {
            await _nats.RequestAsync<ReadyReport, Ack>(ClusterProtocol.ToRun(RunId, "ready"), new ReadyReport(Name, scenario, initOk, initError),
                _assignment.Timing.CoordinatorTimeout, stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ClusterProtocolException or NATS.Client.Core.NatsException)
        {
            // The coordinator is unreachable: the heartbeat watch ends the run; nothing to wait for here.
            _log.WriteLine($"agent {Name}: {scenario}: could not report ready: {ex.Message}");
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!initOk) return;
        try
        {
            var signal = await started.Task.WaitAsync(stop).ConfigureAwait(false);
            var wait = _time.GetElapsedTime(_time.GetTimestamp(), signal.StartTimestamp);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped before the start: the runner skips the load and cleans up
        }
    }

    async Task<IReadOnlyList<ReadOnlyMemory<byte>>> IClusterCollectives.AllGatherAsync(string scenario, string key, int agentIndex,
        ReadOnlyMemory<byte> mine, CancellationToken cancellationToken)
    {
        string id = scenario + "/" + key;
        var done = _gathers.GetOrAdd(id, _ => NewCompletion<IReadOnlyList<ReadOnlyMemory<byte>>>());
        var timeout = _assignment.Timing.CollectiveTimeout;
        try
        {
            await BlobTransfer.SendAsync(_nats, ClusterProtocol.ToRun(RunId, "gather"),
                new Dictionary<string, string> { ["Kind"] = "gather", ["Agent"] = Name, ["Scenario"] = scenario, ["Key"] = key }, mine,
                _assignment.Timing.CoordinatorTimeout, cancellationToken).ConfigureAwait(false);
            return await done.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"cluster collective '{key}' of {scenario}: the other agents did not all reach it within {timeout.TotalSeconds:0} s ({ex.Message})");
        }
        finally
        {
            _gathers.TryRemove(id, out _);
        }
    }

    private async Task ListenForHeartbeatsAsync(NATS.Client.Core.INatsSub<byte[]> subscription, CancellationToken stop)
    {
        await using var _ = subscription;
        try
        {
            await foreach (var beat in subscription.Msgs.ReadAllAsync(stop).ConfigureAwait(false))
                Volatile.Write(ref _lastHeartbeat, _time.GetTimestamp());
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReportUntilDoneAsync(Task run)
    {
        using var timer = new PeriodicTimer(_assignment.Timing.HeartbeatInterval, _time);
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, timer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false);
            if (run.IsCompleted) break;
            await PublishProgressAsync(CancellationToken.None).ConfigureAwait(false);
            var silent = _time.GetElapsedTime(Volatile.Read(ref _lastHeartbeat));
            if (silent > _assignment.Timing.CoordinatorTimeout && !_aborted)
                Abort($"no heartbeat from the coordinator for {silent.TotalSeconds:0} s");
        }
    }

    private async Task PublishProgressAsync(CancellationToken cancellationToken)
    {
        if (_runner is not { } runner) return;
        var scenarios = new List<ScenarioReport>();
        foreach (var progress in runner.Progress())
        {
            int first = Math.Max(0, _pointsSent.GetValueOrDefault(progress.Name) - ResentPoints);
            var (points, counters, shared) = runner.SeriesSince(progress.Name, first);
            _pointsSent[progress.Name] = first + points.Count;
            scenarios.Add(new ScenarioReport { Progress = progress, FirstPoint = first, Points = points, Counters = counters, SharedGauges = shared });
        }
        var report = new ProgressReport
        {
            Agent = Name,
            Sequence = ++_sequence,
            Scenarios = scenarios,
            Warnings = runner.LiveWarnings(),
            Generator = ((ILiveRun)runner).LastGeneratorSample(),
        };
        try
        {
            await _nats.PublishAsync(ClusterProtocol.ToRun(RunId, "progress"), report, cancellationToken).ConfigureAwait(false);
        }
        catch (NATS.Client.Core.NatsException ex)
        {
            _log.WriteLine($"agent {Name}: progress report not sent: {ex.Message}");
        }
    }

    private static TaskCompletionSource<T> NewCompletion<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the shares be made before the run they talk through.</summary>
    private sealed class ForwardingCollectives(Func<IClusterCollectives> target) : IClusterCollectives
    {
        public Task<IReadOnlyList<ReadOnlyMemory<byte>>> AllGatherAsync(string scenario, string key, int agentIndex, ReadOnlyMemory<byte> mine, CancellationToken cancellationToken) =>
            target().AllGatherAsync(scenario, key, agentIndex, mine, cancellationToken);
    }
}
