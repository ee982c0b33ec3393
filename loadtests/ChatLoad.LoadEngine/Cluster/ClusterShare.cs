using System.Buffers.Binary;
using System.Net;
using ChatLoad.LoadEngine.Cluster.Planning;

namespace ChatLoad.LoadEngine;

/// <summary>
/// One agent's part of one scenario in a cluster run (<c>--cluster nats://…</c>): given to the scenario's factory
/// (<see cref="ScenarioSettings.Cluster"/>) and to its init and clean (<see cref="ScenarioInitContext.Cluster"/>);
/// null outside a cluster run.
/// </summary>
/// <remarks>
/// A scenario that ignores it still runs on agents: its settings carry this agent's share of <c>--clients</c> and its
/// load simulations this agent's share of the load, it runs on its own, and the coordinator adds the agents' results
/// up exactly. A scenario whose clients talk to each other across agents (room-chat: every room has members on every
/// agent) lays its clients out over the whole cluster with <see cref="OwnedClients"/> and <see cref="OwnerOf"/>,
/// agrees with the other agents through the collectives (<see cref="AllGatherAsync"/>, <see cref="SumAsync"/>,
/// <see cref="BarrierAsync"/>: every agent of the scenario calls the same ones in the same order), and reads a
/// timestamp taken on another agent with <see cref="ElapsedTicksSince"/>.
/// </remarks>
public sealed class ClusterShare
{
    private readonly int[] _owner;
    private readonly IReadOnlyList<ClusterPeer> _agents;
    private readonly IClusterCollectives _collectives;
    private readonly TimeProvider _time;
    private int _calls;

    internal ClusterShare(string runId, string scenarioName, int agentIndex, IReadOnlyList<ClusterPeer> agents, IReadOnlyList<int> clientShares,
        IReadOnlyList<IPAddress> sourceAddresses, bool runsIterations, IClusterCollectives collectives, TimeProvider time)
    {
        if (agents.Count != clientShares.Count) throw new ArgumentException("one client share per agent");
        if ((uint)agentIndex >= (uint)agents.Count) throw new ArgumentOutOfRangeException(nameof(agentIndex));
        RunId = runId;
        ScenarioName = scenarioName;
        AgentIndex = agentIndex;
        _agents = agents;
        ClientShares = clientShares;
        _owner = ClientOwnership.Interleave(clientShares);
        OwnedClients = Enumerable.Range(0, _owner.Length).Where(i => _owner[i] == agentIndex).ToArray();
        SourceAddresses = sourceAddresses;
        RunsIterations = runsIterations;
        _collectives = collectives;
        _time = time;
    }

    /// <summary>The run's id, the same on every agent (e.g. to name channels all agents' clients share).</summary>
    public string RunId { get; }

    /// <summary>The scenario this share belongs to.</summary>
    public string ScenarioName { get; }

    /// <summary>This agent's place, 0 .. <see cref="AgentCount"/>-1, the same on every agent.</summary>
    public int AgentIndex { get; }

    /// <summary>This agent's <c>--name</c>.</summary>
    public string AgentName => _agents[AgentIndex].Name;

    /// <summary>Agents taking part in the scenario.</summary>
    public int AgentCount => _agents.Count;

    /// <summary>The scenario's clients over the whole cluster (its <c>--clients</c>).</summary>
    public int TotalClients => _owner.Length;

    /// <summary>Clients per agent, by agent index; they add up to <see cref="TotalClients"/>.</summary>
    public IReadOnlyList<int> ClientShares { get; }

    /// <summary>The clients this agent runs, as indexes 0 .. <see cref="TotalClients"/>-1, ascending. Agents take turns
    /// in proportion to their shares (not blocks), so a scenario that groups neighbouring indexes (rooms of 10) gets
    /// groups with members on every agent.</summary>
    public IReadOnlyList<int> OwnedClients { get; }

    /// <summary>The agent that runs client <paramref name="client"/>.</summary>
    public int OwnerOf(int client) => _owner[client];

    /// <summary>True when this agent runs client <paramref name="client"/>.</summary>
    public bool Owns(int client) => (uint)client < (uint)_owner.Length && _owner[client] == AgentIndex;

    /// <summary>Local addresses this agent's clients may bind (its <c>--source-ip</c>); empty = the kernel's choice.</summary>
    public IReadOnlyList<IPAddress> SourceAddresses { get; }

    /// <summary>False when the scenario's iterations are pinned to another group of agents (<c>--iterations-on</c>):
    /// this agent's clients are only there to receive (its load simulations carry no load).</summary>
    public bool RunsIterations { get; }

    /// <summary>True when agent <paramref name="agent"/> reads the same monotonic clock as this one (the same machine
    /// since boot), so its timestamps need no correction.</summary>
    public bool SharesClockWith(int agent) => agent == AgentIndex || _agents[agent].SharesClockWith(_agents[AgentIndex]);

    /// <summary>
    /// How long ago, in this agent's <see cref="TimeProvider"/> ticks, the moment <paramref name="sentTimestamp"/> was,
    /// taken on agent <paramref name="senderAgent"/>'s clock, seen at <paramref name="now"/> on this one. On a shared
    /// clock that is the plain difference; otherwise both are moved onto the coordinator's clock by the offsets
    /// measured at start, and <paramref name="clockCorrected"/> says so (such a latency is only as good as that
    /// measurement, whose uncertainty the report states).
    /// </summary>
    public long ElapsedTicksSince(int senderAgent, long sentTimestamp, long now, out bool clockCorrected)
    {
        if (SharesClockWith(senderAgent))
        {
            clockCorrected = false;
            return now - sentTimestamp;
        }
        clockCorrected = true;
        var me = _agents[AgentIndex];
        var sender = _agents[senderAgent];
        double nowNs = now * 1e9 / me.TimestampFrequency - me.ClockOffsetNs;
        double sentNs = sentTimestamp * 1e9 / sender.TimestampFrequency - sender.ClockOffsetNs;
        return (long)((nowNs - sentNs) * me.TimestampFrequency / 1e9);
    }

    /// <summary>
    /// Every agent contributes <paramref name="mine"/>; each gets all contributions back, by agent index (empty for an
    /// agent that was lost or whose scenario ended before contributing). Every agent of the scenario must make the same
    /// calls in the same order; <paramref name="key"/> names the call in messages (and catches agents that disagree).
    /// Bounded by the cluster's collective timeout (a <see cref="TimeoutException"/> past it).
    /// </summary>
    public Task<IReadOnlyList<ReadOnlyMemory<byte>>> AllGatherAsync(string key, ReadOnlyMemory<byte> mine, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        int call = Interlocked.Increment(ref _calls);
        return _collectives.AllGatherAsync(ScenarioName, $"{call}:{key}", AgentIndex, mine, cancellationToken);
    }

    /// <summary>Adds <paramref name="values"/> up over every agent (element by element); every agent gets the sums.</summary>
    public async Task<long[]> SumAsync(string key, IReadOnlyList<long> values, CancellationToken cancellationToken)
    {
        var mine = new byte[values.Count * sizeof(long)];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(mine.AsSpan(i * sizeof(long)), values[i]);
        var all = await AllGatherAsync(key, mine, cancellationToken).ConfigureAwait(false);
        var sums = new long[values.Count];
        foreach (var part in all)
        {
            if (part.Length == 0) continue;
            if (part.Length != mine.Length) throw new InvalidOperationException($"cluster sum '{key}': an agent sent {part.Length / sizeof(long)} values, this one {values.Count}");
            for (int i = 0; i < sums.Length; i++) sums[i] += BinaryPrimitives.ReadInt64LittleEndian(part.Span.Slice(i * sizeof(long)));
        }
        return sums;
    }

    /// <summary>Returns once every agent of the scenario has reached the same barrier.</summary>
    public Task BarrierAsync(string key, CancellationToken cancellationToken) => AllGatherAsync(key, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>The clock the share was made with.</summary>
    internal TimeProvider Time => _time;

    /// <summary>
    /// Shares of one scenario for <paramref name="clientShares"/>.Count agents that agree with each other in memory,
    /// all on this machine's clock: for unit tests of scenario code that uses the cluster (no NATS, no processes).
    /// </summary>
    /// <param name="scenarioName">The scenario.</param>
    /// <param name="clientShares">Clients per agent.</param>
    /// <param name="time">The clock (default the system's).</param>
    public static IReadOnlyList<ClusterShare> InMemory(string scenarioName, IReadOnlyList<int> clientShares, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var peers = clientShares.Select((_, i) => new ClusterPeer($"agent{i}", "in-memory", 0, clock.TimestampFrequency)).ToArray();
        var collectives = new InMemoryCollectives(peers.Length);
        string runId = "mem" + Guid.NewGuid().ToString("N")[..8];
        return peers.Select((_, i) => new ClusterShare(runId, scenarioName, i, peers, clientShares, [], true, collectives, clock)).ToArray();
    }
}

/// <summary>What an agent knows of another agent of its run: its name and its clock.</summary>
/// <param name="Name">The agent's name.</param>
/// <param name="BootId">Its machine's boot id (Linux /proc/sys/kernel/random/boot_id); equal ids read one monotonic clock.</param>
/// <param name="ClockOffsetNs">Its monotonic clock minus the coordinator's, in nanoseconds, as measured at start.</param>
/// <param name="TimestampFrequency">Its <see cref="TimeProvider.TimestampFrequency"/>.</param>
internal sealed record ClusterPeer(string Name, string BootId, double ClockOffsetNs, long TimestampFrequency)
{
    public bool SharesClockWith(ClusterPeer other) => BootId.Length > 0 && BootId == other.BootId && TimestampFrequency == other.TimestampFrequency;
}

/// <summary>How a share's collectives reach the other agents: over NATS through the coordinator, or in memory (tests).</summary>
internal interface IClusterCollectives
{
    Task<IReadOnlyList<ReadOnlyMemory<byte>>> AllGatherAsync(string scenario, string key, int agentIndex, ReadOnlyMemory<byte> mine, CancellationToken cancellationToken);
}

/// <summary>Collectives between shares in one process: each key completes when every agent has contributed.</summary>
internal sealed class InMemoryCollectives(int agents) : IClusterCollectives
{
    private readonly Dictionary<string, (ReadOnlyMemory<byte>[] Parts, int Count, TaskCompletionSource<IReadOnlyList<ReadOnlyMemory<byte>>> Done)> _open = new();

    public Task<IReadOnlyList<ReadOnlyMemory<byte>>> AllGatherAsync(string scenario, string key, int agentIndex, ReadOnlyMemory<byte> mine, CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<ReadOnlyMemory<byte>>> task;
        lock (_open)
        {
            string id = scenario + "/" + key;
            if (!_open.TryGetValue(id, out var entry))
                entry = (new ReadOnlyMemory<byte>[agents], 0, new TaskCompletionSource<IReadOnlyList<ReadOnlyMemory<byte>>>(TaskCreationOptions.RunContinuationsAsynchronously));
            entry.Parts[agentIndex] = mine.ToArray();
            entry.Count++;
            _open[id] = entry;
            if (entry.Count == agents) entry.Done.TrySetResult(entry.Parts);
            task = entry.Done.Task;
        }
        return task.WaitAsync(cancellationToken);
    }
}
