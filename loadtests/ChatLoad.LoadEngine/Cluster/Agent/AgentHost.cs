using System.Net;
using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Cluster.Clock;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Config;
using NATS.Client.Core;

namespace ChatLoad.LoadEngine.Cluster.Agent;

/// <summary>How an agent was started (<c>loadtest agent --nats … --name … --group … --source-ip …</c>).</summary>
internal sealed record AgentOptions(string NatsUrl, string Name, string Group, IReadOnlyList<IPAddress> SourceAddresses);

/// <summary>
/// A long-lived load agent (<c>loadtest agent</c>): it joins the NATS server, announces itself with its capacity and
/// build, answers roll calls and clock probes, and runs, one at a time, the share of a run a coordinator assigns it —
/// refusing, with the reason, an assignment from a different build or for a scenario it does not have. Ends on
/// Ctrl+C (a run in progress is stopped and its result still sent).
/// </summary>
internal sealed class AgentHost(AgentOptions options, IReadOnlyList<ScenarioFactory> catalog, TextWriter log, TimeProvider time)
{
    /// <summary>How long a run in progress gets to stop and send its result when the agent is told to quit.</summary>
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private AgentRun? _current;
    private Task _currentTask = Task.CompletedTask;

    /// <summary>Serves until <paramref name="stop"/>; returns the exit code (3 when the NATS server cannot be reached).</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        ClusterConnection nats;
        try
        {
            nats = await ClusterConnection.ConnectAsync(options.NatsUrl, $"chatload-agent-{options.Name}", stop).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException ex)
        {
            log.WriteLine($"error: agent {options.Name}: {ex.Message}");
            return LoadTestApp.ExitTargetUnreachable;
        }
        catch (OperationCanceledException)
        {
            return LoadTestApp.ExitOk;
        }
        await using (nats)
        {
            using var listening = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var control = ServeControlAsync(await nats.ListenAsync(ClusterProtocol.AgentWildcard(options.Name), stop).ConfigureAwait(false), nats, listening.Token);
            var rollCall = AnswerRollCallsAsync(await nats.ListenAsync(ClusterProtocol.Discover, stop).ConfigureAwait(false), listening.Token);
            await nats.PublishAsync(ClusterProtocol.Hello, Hello(), CancellationToken.None).ConfigureAwait(false);
            var capacity = AgentCapacityProbe.Measure(SourceTexts());
            log.WriteLine($"agent {options.Name}: ready on {nats.Url}: {capacity.Cores} cores, {capacity.DescriptorLimit:N0} descriptors " +
                          $"(up to {capacity.MaxClients:N0} clients), group {(options.Group.Length == 0 ? "none" : options.Group)}, " +
                          $"sources {(options.SourceAddresses.Count == 0 ? "kernel's choice" : string.Join(", ", options.SourceAddresses))}; " +
                          $"protocol {ClusterProtocol.Version}, engine {ClusterProtocol.EngineVersion}; scenarios: {string.Join(", ", catalog.Select(f => f.Name))}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            log.WriteLine($"agent {options.Name}: stopping");
            lock (_gate) _current?.Stop("the agent is stopping");
            await _currentTask.WaitAsync(QuitTimeout).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            listening.Cancel();
            await Task.WhenAll(control, rollCall).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        return LoadTestApp.ExitOk;
    }

    private IReadOnlyList<string> SourceTexts() => options.SourceAddresses.Select(a => a.ToString()).ToArray();

    private AgentHello Hello()
    {
        string? busy;
        lock (_gate) busy = _current?.RunId;
        return new AgentHello
        {
            Name = options.Name,
            Group = options.Group,
            Protocol = ClusterProtocol.Version,
            EngineVersion = ClusterProtocol.EngineVersion,
            BuildId = ClusterProtocol.BuildId,
            Machine = Environment.MachineName,
            OperatingSystem = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            Capacity = AgentCapacityProbe.Measure(SourceTexts()),
            BootId = HostClock.BootId,
            TimestampFrequency = time.TimestampFrequency,
            BusyWith = busy,
            Scenarios = catalog.Select(f => f.Name).ToArray(),
        };
    }

    private async Task AnswerRollCallsAsync(INatsSub<byte[]> subscription, CancellationToken stop)
    {
        await using var _ = subscription;
        try
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync(stop).ConfigureAwait(false))
                await ClusterConnection.ReplyAsync(message, Hello()).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeControlAsync(INatsSub<byte[]> subscription, ClusterConnection nats, CancellationToken stop)
    {
        await using var _ = subscription;
        var gathered = new BlobAssembler();
        try
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync(stop).ConfigureAwait(false))
            {
                string verb = message.Subject[(message.Subject.LastIndexOf('.') + 1)..];
                try
                {
                    await HandleAsync(nats, verb, message, gathered).ConfigureAwait(false);
                }
                catch (ClusterProtocolException ex)
                {
                    log.WriteLine($"agent {options.Name}: unreadable '{verb}' message: {ex.Message}");
                    await ClusterConnection.ReplyAsync(message, new Ack(false, ex.Message)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(ClusterConnection nats, string verb, NatsMsg<byte[]> message, BlobAssembler gathered)
    {
        AgentRun? current;
        lock (_gate) current = _current;
        switch (verb)
        {
            case "clock":
                await ClusterConnection.ReplyAsync(message, new ClockReading(time.GetTimestamp(), time.TimestampFrequency, time.GetUtcNow())).ConfigureAwait(false);
                break;
            case "assign":
                await ClusterConnection.ReplyAsync(message, Accept(nats, ClusterJson.Read<RunAssignment>(message.Data ?? []))).ConfigureAwait(false);
                break;
            case "start":
                var start = ClusterJson.Read<StartSignal>(message.Data ?? []);
                if (current?.RunId == start.RunId) current.OnStart(start);
                await ClusterConnection.ReplyAsync(message, new Ack(current?.RunId == start.RunId, current is null ? "no run" : null)).ConfigureAwait(false);
                break;
            case "gathered":
                var frame = gathered.Add(message);
                await ClusterConnection.ReplyAsync(message, new Ack(true)).ConfigureAwait(false);
                if (frame is not null && current is not null && message.Headers is { } h && BlobAssembler.Header(h, "Run") == current.RunId)
                    current.OnGathered(BlobAssembler.Header(h, "Scenario"), BlobAssembler.Header(h, "Key"), frame);
                break;
            case "stop" or "abort":
                var signal = ClusterJson.Read<StopSignal>(message.Data ?? []);
                if (current?.RunId == signal.RunId)
                {
                    if (verb == "stop") current.Stop(signal.Reason);
                    else current.Abort(signal.Reason);
                }
                await ClusterConnection.ReplyAsync(message, new Ack(true)).ConfigureAwait(false);
                break;
            default:
                await ClusterConnection.ReplyAsync(message, new Ack(false, $"unknown request '{verb}'")).ConfigureAwait(false);
                break;
        }
    }

    private AssignReply Accept(ClusterConnection nats, RunAssignment assignment)
    {
        if (ClusterProtocol.Incompatibility(assignment.Protocol, assignment.EngineVersion, "the coordinator") is { } problem)
        {
            log.WriteLine($"agent {options.Name}: refused run {assignment.RunId}: {problem}");
            return new AssignReply(false, problem);
        }
        AgentRun run;
        lock (_gate)
        {
            if (_current is not null) return new AssignReply(false, $"busy with run {_current.RunId}");
            try
            {
                run = AgentRun.Create(nats, assignment, catalog, options.SourceAddresses, log, time);
            }
            catch (UsageException ex)
            {
                log.WriteLine($"agent {options.Name}: refused run {assignment.RunId}: {ex.Message}");
                return new AssignReply(false, ex.Message);
            }
            _current = run;
            _currentTask = RunThenFreeAsync(run);
        }
        var mine = assignment.Scenarios.Select(s => $"{s.Name} {s.Clients?.ToString("N0") ?? "-"} clients, {string.Join("; ", s.LoadSimulations.Select(l => l.ToSimulation().Describe()))}");
        log.WriteLine($"agent {options.Name}: run {assignment.RunId} ({assignment.TestName}) as agent {assignment.AgentIndex + 1} of {assignment.Agents.Count}: {string.Join(" · ", mine)}");
        return new AssignReply(true);
    }

    private async Task RunThenFreeAsync(AgentRun run)
    {
        await Task.Yield();
        try
        {
            await run.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.WriteLine($"agent {options.Name}: run {run.RunId} failed: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            lock (_gate) _current = null;
        }
    }
}
