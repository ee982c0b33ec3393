using ChatLoad.LoadEngine.Cluster.Clock;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.Cluster.Coordinator;

/// <summary>One agent as the coordinator tracks it during a run.</summary>
internal sealed class AgentState(AgentHello hello, int index, ClockOffset clock)
{
    public AgentHello Hello { get; } = hello;
    public int Index { get; } = index;
    public ClockOffset Clock { get; } = clock;
    public string Name => Hello.Name;
    public long LastReport { get; set; }
    public bool Lost { get; set; }
    public double? LostAtSeconds { get; set; }
    public string? LostReason { get; set; }
    public RunResult? Result { get; set; }
    public IReadOnlyList<string> Warnings { get; set; } = [];
    public GeneratorSample? Generator { get; set; }
    public Dictionary<string, AgentScenarioState> Scenarios { get; } = new(StringComparer.Ordinal);
    public bool Finished => Lost || Result is not null;
}

/// <summary>One scenario on one agent: its newest live figures, every second it reported, and its start-barrier state.</summary>
internal sealed class AgentScenarioState
{
    public ScenarioProgress? Progress { get; set; }
    public SortedDictionary<int, TimeSeriesPoint> Points { get; } = new();
    public IReadOnlyList<string> Counters { get; set; } = [];
    public IReadOnlyList<string> SharedGauges { get; set; } = [];

    /// <summary>Null until the agent reported its init: then whether it succeeded.</summary>
    public bool? InitOk { get; set; }
    public string? InitError { get; set; }

    /// <summary>The scenario ended on this agent (it takes part in no more collectives).</summary>
    public bool Ended => Progress?.Stage is ScenarioStage.Done or ScenarioStage.Failed;
}

/// <summary>What the coordinator must do after a change of state.</summary>
internal abstract record ClusterAction;

/// <summary>Every agent taking part in <paramref name="Scenario"/> is ready: name the start instant.</summary>
internal sealed record StartScenario(string Scenario, IReadOnlyList<AgentState> Agents) : ClusterAction;

/// <summary>A collective is complete: send every contributor the frame of all contributions.</summary>
internal sealed record DeliverGather(string Scenario, string Key, byte[] Frame, IReadOnlyList<AgentState> To) : ClusterAction;

/// <summary>An agent stopped reporting.</summary>
internal sealed record AgentLost(AgentState Agent) : ClusterAction;

/// <summary>
/// The coordinator's picture of a running cluster, kept apart from the network so it can be tested alone: each
/// agent's reports, the start barrier of each scenario, the open collectives, and which agents are lost. Every change
/// returns what the coordinator must now send. Thread-safe (one lock). It is also the live view: merged progress of
/// all agents for the console and the metrics endpoint.
/// </summary>
internal sealed class ClusterRunState : ILiveRun
{
    private readonly object _lock = new();
    private readonly IReadOnlyList<string> _scenarios;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<int>> _clientShares;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly HashSet<string> _startedScenarios = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Scenario, string Key), Dictionary<int, byte[]>> _gathers = new();

    public ClusterRunState(IReadOnlyList<AgentState> agents, IReadOnlyList<string> scenarios, IReadOnlyDictionary<string, IReadOnlyList<int>> clientShares,
        TimeProvider time)
    {
        Agents = agents;
        _scenarios = scenarios;
        _clientShares = clientShares;
        _time = time;
        _started = time.GetTimestamp();
        foreach (var agent in agents)
        {
            agent.LastReport = _started;
            foreach (var scenario in scenarios) agent.Scenarios[scenario] = new AgentScenarioState();
        }
    }

    public IReadOnlyList<AgentState> Agents { get; }

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>True once every agent sent its result or was lost.</summary>
    public bool AllFinished
    {
        get { lock (_lock) return Agents.All(a => a.Finished); }
    }

    public int ClientShare(string scenario, int agent) => _clientShares.TryGetValue(scenario, out var shares) ? shares[agent] : 0;

    public AgentState? Find(string name) => Agents.FirstOrDefault(a => a.Name == name);

    public IReadOnlyList<ClusterAction> OnProgress(ProgressReport report)
    {
        lock (_lock)
        {
            if (Find(report.Agent) is not { Lost: false } agent) return [];
            agent.LastReport = _time.GetTimestamp();
            agent.Warnings = report.Warnings;
            agent.Generator = report.Generator ?? agent.Generator;
            foreach (var scenario in report.Scenarios)
            {
                if (!agent.Scenarios.TryGetValue(scenario.Progress.Name, out var state)) continue;
                state.Progress = scenario.Progress;
                state.Counters = scenario.Counters;
                state.SharedGauges = scenario.SharedGauges;
                for (int i = 0; i < scenario.Points.Count; i++) state.Points[scenario.FirstPoint + i] = scenario.Points[i];
            }
            return Evaluate();
        }
    }

    public IReadOnlyList<ClusterAction> OnReady(ReadyReport report)
    {
        lock (_lock)
        {
            if (Find(report.Agent) is not { Lost: false } agent || !agent.Scenarios.TryGetValue(report.Scenario, out var state)) return [];
            agent.LastReport = _time.GetTimestamp();
            state.InitOk = report.InitOk;
            state.InitError = report.Error;
            return Evaluate();
        }
    }

    public IReadOnlyList<ClusterAction> OnContribution(string agentName, string scenario, string key, byte[] data)
    {
        lock (_lock)
        {
            if (Find(agentName) is not { Lost: false } agent) return [];
            agent.LastReport = _time.GetTimestamp();
            if (!_gathers.TryGetValue((scenario, key), out var parts)) _gathers[(scenario, key)] = parts = new Dictionary<int, byte[]>();
            parts[agent.Index] = data;
            return Evaluate();
        }
    }

    /// <summary>Records an agent's finished result (ignored from an agent already declared lost).</summary>
    public bool OnResult(string agentName, RunResult result)
    {
        lock (_lock)
        {
            if (Find(agentName) is not { Lost: false } agent) return false;
            agent.Result = result;
            return true;
        }
    }

    /// <summary>Declares lost every unfinished agent silent for <paramref name="timeout"/> or more.</summary>
    public IReadOnlyList<ClusterAction> CheckSilence(TimeSpan timeout)
    {
        lock (_lock)
        {
            var actions = new List<ClusterAction>();
            long now = _time.GetTimestamp();
            foreach (var agent in Agents.Where(a => !a.Finished))
            {
                var silent = _time.GetElapsedTime(agent.LastReport, now);
                if (silent < timeout) continue;
                agent.Lost = true;
                agent.LostAtSeconds = Math.Round(_time.GetElapsedTime(_started, agent.LastReport).TotalSeconds, 1);
                agent.LostReason = $"no report for {silent.TotalSeconds:0.0} s";
                actions.Add(new AgentLost(agent));
            }
            if (actions.Count > 0) actions.AddRange(Evaluate());
            return actions;
        }
    }

    /// <summary>Declares every unfinished agent lost for <paramref name="reason"/> (the run's time is up).</summary>
    public IReadOnlyList<ClusterAction> GiveUp(string reason)
    {
        lock (_lock)
        {
            var actions = new List<ClusterAction>();
            foreach (var agent in Agents.Where(a => !a.Finished))
            {
                agent.Lost = true;
                agent.LostAtSeconds = Math.Round(Elapsed.TotalSeconds, 1);
                agent.LostReason = reason;
                actions.Add(new AgentLost(agent));
            }
            return actions;
        }
    }

    /// <summary>Start barriers whose agents are all ready, and collectives every remaining agent has joined.</summary>
    private List<ClusterAction> Evaluate()
    {
        var actions = new List<ClusterAction>();
        foreach (var scenario in _scenarios.Where(s => !_startedScenarios.Contains(s)))
        {
            var taking = Agents.Where(a => !a.Lost && a.Scenarios[scenario].InitOk != false).ToList();
            if (taking.Any(a => a.Scenarios[scenario].InitOk is null)) continue;
            _startedScenarios.Add(scenario);
            if (taking.Count > 0) actions.Add(new StartScenario(scenario, taking));
        }
        foreach (var ((scenario, key), parts) in _gathers.ToList())
        {
            var expected = Agents.Where(a => !a.Lost && a.Scenarios.TryGetValue(scenario, out var s) && s.InitOk != false && !s.Ended).ToList();
            if (expected.Any(a => !parts.ContainsKey(a.Index))) continue;
            _gathers.Remove((scenario, key));
            var frame = GatherFrame.Encode(Agents.Select(a => parts.TryGetValue(a.Index, out var p) ? (ReadOnlyMemory<byte>)p : ReadOnlyMemory<byte>.Empty).ToList());
            var to = Agents.Where(a => !a.Lost && parts.ContainsKey(a.Index)).ToList();
            actions.Add(new DeliverGather(scenario, key, frame, to));
        }
        return actions;
    }

    public IReadOnlyList<ScenarioProgress> Progress()
    {
        lock (_lock)
        {
            var merged = new List<ScenarioProgress>();
            foreach (var name in _scenarios)
            {
                var all = Agents.Select(a => (Agent: a, State: a.Scenarios[name])).Where(x => x.State.Progress is not null).ToList();
                if (all.Count == 0)
                {
                    merged.Add(new ScenarioProgress { Name = name, Stage = ScenarioStage.Waiting });
                    continue;
                }
                var live = all.Where(x => !x.Agent.Lost && x.State.Progress!.Stage != ScenarioStage.Failed).ToList();
                var lead = (live.Count > 0 ? live.MinBy(x => x.State.Progress!.Stage) : all.MaxBy(x => x.State.Progress!.Stage)).State.Progress!;
                var lastPoints = all.Where(x => x.State.Points.Count > 0).Select(x => x.State.Points.Last().Value).ToList();
                var shared = all.SelectMany(x => x.State.SharedGauges).ToHashSet(StringComparer.Ordinal);
                var lastSecond = lastPoints.Count == 0 ? null : RunResultMerger.MergeSecond(lastPoints, shared);
                merged.Add(lead with
                {
                    MeasuredElapsed = all.Max(x => x.State.Progress!.MeasuredElapsed),
                    LastSecond = lastSecond,
                    Ok = all.Sum(x => x.State.Progress!.Ok),
                    Fail = all.Sum(x => x.State.Progress!.Fail),
                    Late = all.Sum(x => x.State.Progress!.Late),
                    Dropped = all.Sum(x => x.State.Progress!.Dropped),
                    InFlight = live.Sum(x => x.State.Progress!.InFlight),
                    Metrics = lastSecond?.Metrics ?? new Dictionary<string, double>(),
                });
            }
            return merged;
        }
    }

    public IReadOnlyList<string> LiveWarnings()
    {
        lock (_lock) return Agents.SelectMany(a => a.Warnings.Select(w => $"agent {a.Name}: {w}")).ToList();
    }

    IReadOnlyList<AgentProgress> ILiveRun.Agents()
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            return Agents.Select(a => new AgentProgress(
                a.Name,
                a.Lost ? $"lost at {a.LostAtSeconds:0.0}s" : a.Result is not null ? "done" : StageText(a),
                _time.GetElapsedTime(a.LastReport, now).TotalSeconds,
                a.Scenarios.Values.Sum(s => s.Progress?.Ok ?? 0),
                a.Scenarios.Values.Sum(s => s.Progress?.Fail ?? 0),
                _clientShares.Values.Sum(shares => shares[a.Index]))).ToList();
        }
    }

    public GeneratorSample? LastGeneratorSample()
    {
        lock (_lock) return Agents.Where(a => !a.Lost && a.Generator is not null).Select(a => a.Generator).MaxBy(g => g!.CpuPercent);
    }

    private static string StageText(AgentState agent)
    {
        var stages = agent.Scenarios.Values.Select(s => s.Progress?.Stage ?? ScenarioStage.Waiting).Distinct().ToList();
        return string.Join("+", stages.Select(s => s.ToString().ToLowerInvariant()));
    }
}
