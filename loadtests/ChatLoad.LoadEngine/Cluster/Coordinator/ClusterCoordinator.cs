using System.Collections.Concurrent;
using System.Text;
using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Cluster.Clock;
using ChatLoad.LoadEngine.Cluster.Planning;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Runner;
using NATS.Client.Core;

namespace ChatLoad.LoadEngine.Cluster.Coordinator;

/// <summary>A finished cluster run: the merged result every report is made from, and each agent's own.</summary>
internal sealed record ClusterOutcome(RunResult Merged, IReadOnlyList<(string Agent, RunResult Result)> AgentResults);

/// <summary>An agent refused the run (a scenario it does not have, a setting its factory rejects): nothing ran.</summary>
internal sealed class ClusterRefusedException(string message) : Exception(message);

/// <summary>
/// Runs a load test on agents (<c>--cluster nats://… --agents K</c>): waits for K compatible agents, measures each
/// one's clock offset, splits clients and load over them by capacity, assigns each its share, starts every scenario
/// on every agent at one agreed instant, relays the agents' collectives, shows the whole cluster live, detects lost
/// agents, and finally merges the agents' results exactly (histograms added, counters summed, server-wide gauges once)
/// into one result of the same form as a single process's, with what each agent did beside it.
/// </summary>
internal sealed class ClusterCoordinator(ClusterRunOptions options, TextWriter log, TimeProvider time) : ILiveRun
{
    /// <summary>How often silent agents are looked for: a quarter of a second, well inside the agent timeout.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Beyond the plan's own length, the longest a cluster run may take before the coordinator gives up on the
    /// agents still out: inits of thousands of clients, drains and cleans all fit well inside 10 minutes.</summary>
    private static readonly TimeSpan RunSlack = TimeSpan.FromMinutes(10);

    private readonly ConcurrentBag<Task> _sends = new();
    private volatile ClusterRunState? _state;
    private int _stopSent;

    public IReadOnlyList<ScenarioProgress> Progress() => _state?.Progress() ?? [];

    public IReadOnlyList<string> LiveWarnings() => _state?.LiveWarnings() ?? [];

    public IReadOnlyList<AgentProgress> Agents() => _state is ILiveRun live ? live.Agents() : [];

    public GeneratorSample? LastGeneratorSample() => _state?.LastGeneratorSample();

    /// <summary>Throws <see cref="ClusterUnavailableException"/> when NATS or enough agents cannot be reached, and
    /// <see cref="ClusterRefusedException"/> when an agent refuses its share (both before any load starts).</summary>
    public async Task<ClusterOutcome> RunAsync(RunPlan plan, CancellationToken stop)
    {
        await using var nats = await ClusterConnection.ConnectAsync(options.NatsUrl, "chatload-coordinator", stop).ConfigureAwait(false);
        var groups = plan.IterationsOn.Values.OfType<string>().Distinct().ToList();
        log.WriteLine($"cluster: waiting up to {options.AgentWait.TotalSeconds:0.#} s for {options.Agents} agents on {options.NatsUrl}");
        var assembled = await AgentRollCall.AssembleAsync(nats, options.Agents, groups, options.AgentWait, log, time, stop).ConfigureAwait(false);
        var chosen = assembled.Chosen;
        var clocks = new List<ClockOffset>();
        foreach (var hello in chosen) clocks.Add(await ProbeClockAsync(nats, hello, stop).ConfigureAwait(false));

        var scenarioNames = plan.Request.Scenarios.Select(s => s.Name).ToList();
        var capacities = chosen.Select(h => new AgentCapacity(h.Name, h.Group, h.Capacity.Cores, h.Capacity.MaxClients)).ToList();
        IReadOnlyList<ScenarioSplit> splits;
        try
        {
            splits = ClusterSplit.Split(capacities, plan.Request.Scenarios.Select((s, i) =>
                (s.Name, ClientsOf(s, plan.Settings[i]), s.LoadSimulations, plan.IterationsOn.GetValueOrDefault(s.Name))).ToList());
        }
        catch (Config.UsageException ex)
        {
            throw new ClusterRefusedException(ex.Message);
        }

        string runId = ClusterProtocol.NewRunId(time.GetUtcNow());
        var peers = chosen.Select((h, i) => new ClusterPeer(h.Name, h.BootId, clocks[i].MonotonicOffsetNs, h.TimestampFrequency)).ToList();
        var agents = chosen.Select((h, i) => new AgentState(h, i, clocks[i])).ToList();
        var state = new ClusterRunState(agents, scenarioNames, splits.ToDictionary(s => s.Scenario, s => s.ClientShares), time);

        using var listening = new CancellationTokenSource();
        var listeners = new List<Task>
        {
            ListenAsync(await nats.ListenAsync(ClusterProtocol.ToRun(runId, "progress"), stop).ConfigureAwait(false), m => OnProgress(nats, runId, state, m), listening.Token),
            ListenAsync(await nats.ListenAsync(ClusterProtocol.ToRun(runId, "ready"), stop).ConfigureAwait(false), m => OnReady(nats, runId, state, m), listening.Token),
            ListenForBlobsAsync(await nats.ListenAsync(ClusterProtocol.ToRun(runId, "gather"), stop).ConfigureAwait(false),
                (m, data) =>
                {
                    Execute(nats, runId, state, state.OnContribution(Label(m, "Agent"), Label(m, "Scenario"), Label(m, "Key"), data));
                    return Task.CompletedTask;
                }, listening.Token),
            ListenForBlobsAsync(await nats.ListenAsync(ClusterProtocol.ToRun(runId, "result"), stop).ConfigureAwait(false),
                (m, data) => OnResult(state, Label(m, "Agent"), data), listening.Token),
        };

        var startedUtc = time.GetUtcNow();
        long started = time.GetTimestamp();
        try
        {
            await AssignAsync(nats, runId, plan, agents, peers, splits, stop).ConfigureAwait(false);
            log.WriteLine($"cluster: run {runId} on {agents.Count} agents: " + string.Join("; ", agents.Select(a =>
                $"{a.Name} " + string.Join(", ", splits.Select(s => $"{s.Scenario} {s.ClientShares[a.Index]:N0} clients")))));
            _state = state;
            using var beating = new CancellationTokenSource();
            var heartbeat = BeatAsync(nats, runId, beating.Token);
            await WaitForAgentsAsync(nats, runId, plan, state, stop).ConfigureAwait(false);
            beating.Cancel();
            await heartbeat.ConfigureAwait(false);
        }
        finally
        {
            listening.Cancel();
            await Task.WhenAll(listeners).ConfigureAwait(false);
            await Task.WhenAll(_sends.ToArray()).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        return Merge(plan, runId, state, assembled.Refused, startedUtc, time.GetElapsedTime(started));
    }

    /// <summary>The clients a scenario opens in all: its <c>--clients</c>, else its largest closed-model copy count,
    /// else none (the load is then shared by cores).</summary>
    internal static int ClientsOf(ScenarioProps scenario, ScenarioSettings settings) =>
        settings.Clients ?? scenario.LoadSimulations.Select(s => s switch
        {
            KeepConstantSimulation k => k.Copies,
            RampingConstantSimulation r => r.Copies,
            IterationsForConstantSimulation f => f.Copies,
            _ => 0,
        }).DefaultIfEmpty(0).Max();

    private async Task<ClockOffset> ProbeClockAsync(ClusterConnection nats, AgentHello agent, CancellationToken stop)
    {
        var samples = new List<ClockSample>();
        for (int i = 0; i < ClockOffset.DefaultProbes; i++)
        {
            double sentNs = HostClock.NowNs(time);
            var sentUtc = time.GetUtcNow();
            ClockReading reading;
            try
            {
                reading = await nats.RequestAsync<Ack, ClockReading>(ClusterProtocol.ToAgent(agent.Name, "clock"), new Ack(true), options.RequestTimeout, stop).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                throw new ClusterUnavailableException($"agent {agent.Name} did not answer its clock probe: {ex.Message}");
            }
            samples.Add(new ClockSample(sentNs, HostClock.NowNs(time), reading.Timestamp * 1e9 / reading.Frequency, sentUtc, time.GetUtcNow(), reading.Utc));
        }
        var offset = ClockOffset.From(samples);
        bool sameClock = agent.BootId.Length > 0 && agent.BootId == HostClock.BootId;
        log.WriteLine($"cluster: agent {agent.Name} clock: monotonic offset {offset.MonotonicOffsetNs / 1e6:0.000} ms ± {offset.UncertaintyMs:0.000} ms" +
                      $" (round trip {offset.RoundTripMs:0.000} ms), wall clock {offset.WallOffsetMs:+0.000;-0.000} ms" +
                      (sameClock ? ", same machine: one clock, no correction" : ""));
        return offset;
    }

    private async Task AssignAsync(ClusterConnection nats, string runId, RunPlan plan, IReadOnlyList<AgentState> agents, IReadOnlyList<ClusterPeer> peers,
        IReadOnlyList<ScenarioSplit> splits, CancellationToken stop)
    {
        var timing = new ClusterTiming(options.HeartbeatInterval, options.CoordinatorTimeout, options.CollectiveTimeout);
        var replies = await Task.WhenAll(agents.Select(async agent =>
        {
            var assignment = new RunAssignment
            {
                RunId = runId,
                Protocol = ClusterProtocol.Version,
                EngineVersion = ClusterProtocol.EngineVersion,
                TestName = plan.Request.TestName,
                Command = plan.Request.Command,
                AgentIndex = agent.Index,
                Agents = peers,
                Scenarios = plan.Request.Scenarios.Select((s, i) => Share(s, plan.Settings[i], splits[i], agent.Index)).ToList(),
                RunThresholds = plan.Request.Thresholds.Select(t => t.Expression).ToList(),
                Engine = plan.Engine,
                Timing = timing,
            };
            try
            {
                return (agent, await nats.RequestAsync<RunAssignment, AssignReply>(ClusterProtocol.ToAgent(agent.Name, "assign"), assignment,
                    options.RequestTimeout, stop).ConfigureAwait(false));
            }
            catch (TimeoutException ex)
            {
                return (agent, new AssignReply(false, $"no answer to the assignment: {ex.Message}"));
            }
        })).ConfigureAwait(false);
        var refused = replies.Where(r => !r.Item2.Accepted).ToList();
        if (refused.Count == 0) return;
        foreach (var (agent, reply) in replies.Where(r => r.Item2.Accepted))
            await SendQuietlyAsync(nats, ClusterProtocol.ToAgent(agent.Name, "abort"), new StopSignal(runId, "another agent refused the run")).ConfigureAwait(false);
        throw new ClusterRefusedException(string.Join("; ", refused.Select(r => $"agent {r.agent.Name} refused the run: {r.Item2.Reason}")));
    }

    private static ScenarioAssignment Share(ScenarioProps scenario, ScenarioSettings settings, ScenarioSplit split, int agent)
    {
        double? rate = null;
        if (settings.Rate is { } total && split.RunsIterations[agent])
        {
            // The rate setting follows the iterations' split (clients among the agents that run iterations).
            double mine = split.ClientShares.Where((_, k) => split.RunsIterations[k]).Sum();
            double weight = mine > 0 ? split.ClientShares[agent] / mine : 1.0 / split.RunsIterations.Count(r => r);
            rate = total * weight;
        }
        return new ScenarioAssignment
        {
            Name = scenario.Name,
            Target = settings.Target,
            Clients = settings.Clients is null ? null : split.ClientShares[agent],
            Rate = rate > 0 ? rate : null,
            Duration = settings.Duration,
            WarmUp = scenario.WarmUpDuration,
            Custom = scenario.CustomSettings,
            LoadSimulations = split.Simulations[agent].Select(SimulationSpec.From).ToList(),
            Thresholds = scenario.Thresholds.Select(t => t.Expression).ToList(),
            ClientShares = split.ClientShares,
            RunsIterations = split.RunsIterations[agent],
        };
    }

    private async Task WaitForAgentsAsync(ClusterConnection nats, string runId, RunPlan plan, ClusterRunState state, CancellationToken stop)
    {
        var planned = plan.Request.Scenarios.Max(s => s.WarmUpDuration + TimeSpan.FromTicks(s.LoadSimulations.Sum(l => l.Duration.Ticks)));
        long started = time.GetTimestamp();
        long? stopAsked = null;
        while (!state.AllFinished)
        {
            try
            {
                await Task.Delay(WatchInterval, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            Execute(nats, runId, state, state.CheckSilence(options.AgentTimeout));
            if (stop.IsCancellationRequested && stopAsked is null)
            {
                stopAsked = time.GetTimestamp();
                StopAll(nats, runId, state, "the coordinator was asked to stop");
            }
            if (stopAsked is { } asked && time.GetElapsedTime(asked) > options.ResultWaitAfterStop)
            {
                Execute(nats, runId, state, state.GiveUp($"no result within {options.ResultWaitAfterStop.TotalSeconds:0} s of the stop"));
            }
            else if (time.GetElapsedTime(started) > planned + RunSlack)
            {
                Execute(nats, runId, state, state.GiveUp($"no result within {(planned + RunSlack).TotalSeconds:0} s of the start"));
            }
        }
    }

    private async Task BeatAsync(ClusterConnection nats, string runId, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            do
            {
                try
                {
                    await nats.PublishAsync(ClusterProtocol.ToRun(runId, "heartbeat"), new Ack(true), stop).ConfigureAwait(false);
                }
                catch (NatsException ex)
                {
                    log.WriteLine($"cluster: heartbeat not sent: {ex.Message}");
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task OnProgress(ClusterConnection nats, string runId, ClusterRunState state, NatsMsg<byte[]> message)
    {
        var report = ClusterJson.Read<ProgressReport>(message.Data ?? []);
        if (state.Find(report.Agent) is { Lost: true } lost)
        {
            // It was given up on: it must stop loading the target with a share nobody counts any more.
            await SendQuietlyAsync(nats, ClusterProtocol.ToAgent(lost.Name, "abort"), new StopSignal(runId, "this agent was declared lost")).ConfigureAwait(false);
            return;
        }
        Execute(nats, runId, state, state.OnProgress(report));
    }

    private async Task OnReady(ClusterConnection nats, string runId, ClusterRunState state, NatsMsg<byte[]> message)
    {
        var report = ClusterJson.Read<ReadyReport>(message.Data ?? []);
        await ClusterConnection.ReplyAsync(message, new Ack(true)).ConfigureAwait(false);
        if (!report.InitOk) log.WriteLine($"cluster: agent {report.Agent}: {report.Scenario} init failed: {report.Error}");
        Execute(nats, runId, state, state.OnReady(report));
    }

    private Task OnResult(ClusterRunState state, string agent, byte[] json)
    {
        RunResult result;
        try
        {
            result = RunResultJson.Deserialize(Encoding.UTF8.GetString(json));
        }
        catch (FormatException ex)
        {
            log.WriteLine($"cluster: agent {agent} sent an unreadable result: {ex.Message}");
            return Task.CompletedTask;
        }
        if (state.OnResult(agent, result)) log.WriteLine($"cluster: agent {agent} finished; result received ({json.Length / 1024.0:0} KB)");
        return Task.CompletedTask;
    }

    private void Execute(ClusterConnection nats, string runId, ClusterRunState state, IReadOnlyList<ClusterAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case StartScenario start:
                    _sends.Add(StartAsync(nats, runId, start));
                    break;
                case DeliverGather gather:
                    foreach (var agent in gather.To)
                        _sends.Add(SendBlobQuietlyAsync(nats, ClusterProtocol.ToAgent(agent.Name, "gathered"),
                            new Dictionary<string, string> { ["Run"] = runId, ["Scenario"] = gather.Scenario, ["Key"] = gather.Key }, gather.Frame));
                    break;
                case AgentLost lost:
                    log.WriteLine($"cluster: agent {lost.Agent.Name} lost at {lost.Agent.LostAtSeconds:0.0} s ({lost.Agent.LostReason})" +
                                  (options.OnAgentLoss == AgentLossPolicy.Stop ? ": stopping the others (--on-agent-loss stop)" : ": the others go on"));
                    // Most often it is gone; if it is only slow, it must stop loading the target with a share nobody counts.
                    _sends.Add(SendQuietlyAsync(nats, ClusterProtocol.ToAgent(lost.Agent.Name, "abort"), new StopSignal(runId, "this agent was declared lost"), logFailure: false));
                    if (options.OnAgentLoss == AgentLossPolicy.Stop) StopAll(nats, runId, state, $"agent {lost.Agent.Name} was lost");
                    break;
            }
        }
    }

    private async Task StartAsync(ClusterConnection nats, string runId, StartScenario start)
    {
        double atNs = HostClock.NowNs(time) + options.StartLead.TotalMilliseconds * 1e6;
        log.WriteLine($"cluster: {start.Scenario}: every agent ready; starts on {start.Agents.Count} agents in {options.StartLead.TotalMilliseconds:0} ms");
        await Task.WhenAll(start.Agents.Select(agent =>
        {
            // The instant on the agent's own clock: the coordinator's reading moved by the agent's measured offset.
            long ticks = (long)((atNs + agent.Clock.MonotonicOffsetNs) * agent.Hello.TimestampFrequency / 1e9);
            return SendQuietlyAsync(nats, ClusterProtocol.ToAgent(agent.Name, "start"), new StartSignal(runId, start.Scenario, ticks));
        })).ConfigureAwait(false);
    }

    private void StopAll(ClusterConnection nats, string runId, ClusterRunState state, string reason)
    {
        if (Interlocked.Exchange(ref _stopSent, 1) == 1) return;
        foreach (var agent in state.Agents.Where(a => !a.Finished))
            _sends.Add(SendQuietlyAsync(nats, ClusterProtocol.ToAgent(agent.Name, "stop"), new StopSignal(runId, reason)));
    }

    private async Task SendQuietlyAsync<T>(ClusterConnection nats, string subject, T message, bool logFailure = true)
    {
        try
        {
            await nats.RequestAsync<T, Ack>(subject, message, options.RequestTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ClusterProtocolException or NatsException)
        {
            if (logFailure) log.WriteLine($"cluster: {subject}: {ex.Message}");
        }
    }

    private async Task SendBlobQuietlyAsync(ClusterConnection nats, string subject, IReadOnlyDictionary<string, string> labels, byte[] payload)
    {
        try
        {
            await BlobTransfer.SendAsync(nats, subject, labels, payload, options.RequestTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or ClusterProtocolException or NatsException)
        {
            log.WriteLine($"cluster: {subject}: {ex.Message}");
        }
    }

    private async Task ListenAsync(INatsSub<byte[]> subscription, Func<NatsMsg<byte[]>, Task> handle, CancellationToken stop)
    {
        await using var _ = subscription;
        try
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await handle(message).ConfigureAwait(false);
                }
                catch (ClusterProtocolException ex)
                {
                    log.WriteLine($"cluster: unreadable message on {message.Subject}: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task ListenForBlobsAsync(INatsSub<byte[]> subscription, Func<NatsMsg<byte[]>, byte[], Task> complete, CancellationToken stop)
    {
        var assembler = new BlobAssembler();
        return ListenAsync(subscription, async message =>
        {
            byte[]? payload;
            try
            {
                payload = assembler.Add(message);
            }
            catch (ClusterProtocolException ex)
            {
                await ClusterConnection.ReplyAsync(message, new Ack(false, ex.Message)).ConfigureAwait(false);
                throw;
            }
            await ClusterConnection.ReplyAsync(message, new Ack(true)).ConfigureAwait(false);
            if (payload is not null) await complete(message, payload).ConfigureAwait(false);
        }, stop);
    }

    private static string Label(NatsMsg<byte[]> message, string name) =>
        BlobAssembler.Header(message.Headers ?? throw new ClusterProtocolException("a payload without labels"), name);

    private ClusterOutcome Merge(RunPlan plan, string runId, ClusterRunState state, IReadOnlyList<string> refused, DateTimeOffset startedUtc, TimeSpan took)
    {
        var scenarioNames = plan.Request.Scenarios.Select(s => s.Name).ToList();
        var template = new TestInfo { TestName = plan.Request.TestName, SessionId = runId, Started = startedUtc, Duration = took, Command = plan.Request.Command };
        var parts = state.Agents.Select(a => (a.Name, Result: a.Result is { } r
            ? r with { Info = r.Info with { Machine = $"{a.Hello.Machine} (agent {a.Name})" } }
            : PartialResult.From(a, template, scenarioNames))).ToList();
        // Each agent's notes say which agent they come from (the merge keeps every distinct one).
        var labelled = parts.Select(p => p.Result with
        {
            Scenarios = p.Result.Scenarios.Select(s => s with
            {
                Notes = s.Notes.Select(n => n.StartsWith($"agent {p.Name} ", StringComparison.Ordinal) ? n : $"agent {p.Name}: {n}").ToList(),
            }).ToList(),
        }).ToList();
        var merged = RunResultMerger.Merge(labelled);
        // The merge averages generators as if each were a machine of its own; agents may share one.
        var generators = state.Agents.Zip(parts, (a, p) => new AgentGenerator(a.Name, a.Hello.BootId.Length > 0 ? a.Hello.BootId : a.Name,
            a.Hello.Capacity.Cores, p.Result.Generator)).ToList();
        var generator = ClusterGeneratorHealth.Combine(generators, merged.Generator.Warnings);
        var summary = ClusterReport.Summary(options, runId, state, refused);
        var properties = new Dictionary<string, string>(merged.Info.Properties)
        {
            ["cluster"] = $"{state.Agents.Count} agents over {options.NatsUrl}: {string.Join(", ", state.Agents.Select(a => a.Name))}",
        };
        properties.Remove("cluster agent");
        var thresholds = merged.Thresholds.Concat(state.Agents.Where(a => a.Lost).Select(a => new ThresholdResult("cluster", $"agent {a.Name}", false, a.LostAtSeconds,
            $"agent {a.Name} was lost at {a.LostAtSeconds:0.0} s ({a.LostReason}): its part counts only until then"))).ToList();
        merged = merged with
        {
            Info = merged.Info with
            {
                TestName = plan.Request.TestName,
                Command = plan.Request.Command,
                Started = startedUtc,
                Duration = took,
                Properties = properties,
                ProcessorCount = ClusterGeneratorHealth.Cores(generators),
            },
            Generator = generator,
            Thresholds = thresholds,
            Notes = merged.Notes.Concat(plan.Request.Notes).Concat(ClusterReport.Notes(summary)).Distinct().ToList(),
            Cluster = summary,
        };
        return new ClusterOutcome(merged, parts);
    }
}
