using ChatLoad.LoadEngine.Config;

namespace ChatLoad.LoadEngine.Cluster.Planning;

/// <summary>What the coordinator plans with for one agent: its name, group and how much it can hold.</summary>
/// <param name="Name">The agent's <c>--name</c>.</param>
/// <param name="Group">Its <c>--group</c> ("" when none).</param>
/// <param name="Cores">Its logical processors: the weight of its share of clients and load.</param>
/// <param name="MaxClients">The most connections it can open (its capacity report's MaxClients).</param>
internal sealed record AgentCapacity(string Name, string Group, int Cores, int MaxClients);

/// <summary>One scenario's split over the agents, by agent index.</summary>
internal sealed record ScenarioSplit(
    string Scenario,
    int TotalClients,
    IReadOnlyList<int> ClientShares,
    IReadOnlyList<IReadOnlyList<LoadSimulation>> Simulations,
    IReadOnlyList<bool> RunsIterations);

/// <summary>
/// How a cluster run's clients and load are shared out. Clients go by capacity: in proportion to each agent's cores,
/// never more than its connection capacity (what one agent cannot hold goes to the others; more than all can hold
/// is refused before anything starts), and scenarios running at once share that capacity. The load — each load
/// simulation's rate or copies — goes in proportion to the clients, or only to the agents of the group a scenario
/// pins its iterations to (<c>--iterations-on</c>): senders on some agents, receivers on all. Every split is in whole
/// numbers that add up exactly to the total asked for.
/// </summary>
internal static class ClusterSplit
{
    /// <summary>Splits every scenario in turn; <paramref name="scenarios"/> gives each one's total clients (0 = it opens
    /// none: the load then goes by cores), load simulations and iterations group (null = all agents).</summary>
    public static IReadOnlyList<ScenarioSplit> Split(IReadOnlyList<AgentCapacity> agents,
        IReadOnlyList<(string Name, int Clients, IReadOnlyList<LoadSimulation> Simulations, string? IterationsOn)> scenarios)
    {
        var room = agents.Select(a => (long)a.MaxClients).ToArray();
        var splits = new List<ScenarioSplit>();
        foreach (var scenario in scenarios)
        {
            var clients = SplitClients(scenario.Name, scenario.Clients, agents, room);
            for (int i = 0; i < room.Length; i++) room[i] -= clients[i];
            var inGroup = agents.Select(a => scenario.IterationsOn is null || a.Group == scenario.IterationsOn).ToArray();
            if (!inGroup.Any(x => x))
                throw new UsageException($"scenario {scenario.Name}: no agent of group '{scenario.IterationsOn}' takes part (groups: {Groups(agents)})");
            var weights = agents.Select((a, i) => !inGroup[i] ? 0.0 : scenario.Clients > 0 ? clients[i] : a.Cores).ToArray();
            if (weights.All(w => w == 0))
                throw new UsageException($"scenario {scenario.Name}: the agents of group '{scenario.IterationsOn}' hold none of its clients, so none can run its iterations");
            var simulations = SplitSimulations(scenario.Simulations, weights);
            splits.Add(new ScenarioSplit(scenario.Name, scenario.Clients, clients, simulations, inGroup.Select((g, i) => g && weights[i] > 0).ToArray()));
        }
        return splits;
    }

    /// <summary>Water-filling: shares by cores; an agent whose share passes what it has room for is held at that and
    /// the rest is shared again among the others.</summary>
    internal static int[] SplitClients(string scenario, int total, IReadOnlyList<AgentCapacity> agents, IReadOnlyList<long> room)
    {
        long capacity = room.Sum(r => Math.Max(0, r));
        if (total > capacity)
            throw new UsageException($"scenario {scenario}: {total:N0} clients do not fit on {agents.Count} agents, which can hold {capacity:N0} more " +
                                     $"({string.Join(", ", agents.Select((a, i) => $"{a.Name} {Math.Max(0, room[i]):N0}"))}): start more agents or lower --clients");
        var shares = new long[agents.Count];
        var open = Enumerable.Range(0, agents.Count).Where(i => room[i] > 0).ToList();
        long left = total;
        while (left > 0)
        {
            var part = Apportion.ByWeight(left, open.Select(i => (double)Math.Max(1, agents[i].Cores)).ToArray());
            var full = open.Where((i, k) => shares[i] + part[k] > room[i]).ToList();
            if (full.Count == 0)
            {
                for (int k = 0; k < open.Count; k++) shares[open[k]] += part[k];
                break;
            }
            foreach (int i in full)
            {
                left -= room[i] - shares[i];
                shares[i] = room[i];
                open.Remove(i);
            }
        }
        return shares.Select(s => (int)s).ToArray();
    }

    /// <summary>Each simulation's rate or copies shared by <paramref name="weights"/>; a zero share keeps the shape and
    /// duration with no load (inject 0, keep 0 copies). A fixed iteration count is shared too; an agent with iterations
    /// but no copy gets one copy, and one with no iterations pauses for the simulation's timeout.</summary>
    internal static IReadOnlyList<IReadOnlyList<LoadSimulation>> SplitSimulations(IReadOnlyList<LoadSimulation> simulations, IReadOnlyList<double> weights)
    {
        var perAgent = weights.Select(_ => new List<LoadSimulation>()).ToArray();
        foreach (var simulation in simulations)
        {
            switch (simulation)
            {
                case InjectSimulation s:
                    Each(Apportion.ByWeight(s.Rate, weights), (k, r) => perAgent[k].Add(s with { Rate = r }));
                    break;
                case RampingInjectSimulation s:
                    Each(Apportion.ByWeight(s.Rate, weights), (k, r) => perAgent[k].Add(s with { Rate = r }));
                    break;
                case KeepConstantSimulation s:
                    Each(Apportion.ByWeight(s.Copies, weights), (k, c) => perAgent[k].Add(s with { Copies = c }));
                    break;
                case RampingConstantSimulation s:
                    Each(Apportion.ByWeight(s.Copies, weights), (k, c) => perAgent[k].Add(s with { Copies = c }));
                    break;
                case IterationsForConstantSimulation s:
                    var copies = Apportion.ByWeight(s.Copies, weights);
                    var iterations = Apportion.ByWeight(s.Iterations, weights);
                    for (int k = 0; k < perAgent.Length; k++)
                        perAgent[k].Add(iterations[k] == 0
                            ? new PauseSimulation(s.Timeout)
                            : s with { Copies = Math.Max(1, copies[k]), Iterations = iterations[k] });
                    break;
                default:
                    foreach (var list in perAgent) list.Add(simulation);
                    break;
            }
        }
        return perAgent;
    }

    private static void Each(int[] parts, Action<int, int> add)
    {
        for (int k = 0; k < parts.Length; k++) add(k, parts[k]);
    }

    private static string Groups(IReadOnlyList<AgentCapacity> agents) =>
        string.Join(", ", agents.Select(a => $"{a.Name}: {(a.Group.Length == 0 ? "none" : a.Group)}"));
}
