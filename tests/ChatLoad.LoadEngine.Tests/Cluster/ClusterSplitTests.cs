using ChatLoad.LoadEngine.Cluster.Planning;
using ChatLoad.LoadEngine.Config;

namespace ChatLoad.LoadEngine.Tests.Cluster;

/// <summary>Clients and load are shared out in whole numbers that add up exactly, by capacity, and pinned iterations
/// go only to their group.</summary>
public class ClusterSplitTests
{
    private static AgentCapacity Agent(string name, int cores = 2, int maxClients = 19_744, string group = "") => new(name, group, cores, maxClients);

    [Fact]
    public void Nineteen_thousand_clients_over_three_equal_agents_split_evenly_and_exactly()
    {
        var split = ClusterSplit.Split([Agent("a"), Agent("b"), Agent("c")],
            [("idle-hold", 19_000, [Simulation.KeepConstant(19_000, TimeSpan.FromSeconds(30))], null)]).Single();

        Assert.Equal([6334, 6333, 6333], split.ClientShares);
        Assert.Equal(19_000, split.Simulations.Sum(s => ((KeepConstantSimulation)s[0]).Copies));
        Assert.Equal(split.ClientShares, split.Simulations.Select(s => ((KeepConstantSimulation)s[0]).Copies).ToArray());
        Assert.All(split.RunsIterations, Assert.True);
    }

    [Fact]
    public void Shares_follow_cores_but_never_pass_an_agents_capacity()
    {
        var agents = new[] { Agent("big", cores: 8, maxClients: 1_000), Agent("small", cores: 2, maxClients: 10_000) };
        var shares = ClusterSplit.SplitClients("room-chat", 5_000, agents, agents.Select(a => (long)a.MaxClients).ToArray());

        Assert.Equal([1_000, 4_000], shares);
    }

    [Fact]
    public void More_clients_than_the_agents_hold_is_refused_before_anything_starts()
    {
        var error = Assert.Throws<UsageException>(() => ClusterSplit.Split([Agent("a", maxClients: 100), Agent("b", maxClients: 100)],
            [("room-chat", 201, [Simulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))], null)]));
        Assert.Contains("201 clients do not fit on 2 agents", error.Message);
    }

    [Fact]
    public void Scenarios_running_at_once_share_the_agents_capacity()
    {
        var splits = ClusterSplit.Split([Agent("a", maxClients: 1_000), Agent("b", maxClients: 1_000)],
        [
            ("room-chat", 1_500, [Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))], null),
            ("ping-pong", 500, [Simulation.KeepConstant(500, TimeSpan.FromSeconds(5))], null),
        ]);

        Assert.Equal([750, 750], splits[0].ClientShares);
        Assert.Equal([250, 250], splits[1].ClientShares);
        Assert.Throws<UsageException>(() => ClusterSplit.Split([Agent("a", maxClients: 1_000), Agent("b", maxClients: 1_000)],
            [("room-chat", 1_500, [], null), ("ping-pong", 501, [], null)]));
    }

    [Fact]
    public void Pinned_iterations_run_only_on_their_group_while_every_agent_holds_clients()
    {
        var split = ClusterSplit.Split([Agent("s1", group: "senders"), Agent("r1", group: "receivers"), Agent("r2", group: "receivers")],
            [("room-chat", 300, [Simulation.Inject(90, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10))], "senders")]).Single();

        Assert.Equal([100, 100, 100], split.ClientShares);
        Assert.Equal([90, 0, 0], split.Simulations.Select(s => ((InjectSimulation)s[0]).Rate).ToArray());
        Assert.Equal([true, false, false], split.RunsIterations);
        Assert.All(split.Simulations, s => Assert.Equal(TimeSpan.FromSeconds(10), s[0].Duration));
    }

    [Fact]
    public void A_group_no_agent_belongs_to_is_refused()
    {
        var error = Assert.Throws<UsageException>(() => ClusterSplit.Split([Agent("a"), Agent("b")],
            [("room-chat", 10, [Simulation.Inject(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))], "senders")]));
        Assert.Contains("no agent of group 'senders'", error.Message);
    }

    [Fact]
    public void Every_simulation_kind_splits_to_the_total_and_keeps_its_timing()
    {
        var sims = ClusterSplit.SplitSimulations(
        [
            Simulation.RampingInject(101, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            Simulation.RampingConstant(7, TimeSpan.FromSeconds(5)),
            Simulation.IterationsForConstant(5, 1_001, TimeSpan.FromSeconds(9)),
            Simulation.Pause(TimeSpan.FromSeconds(2)),
        ], [1, 1, 1]);

        Assert.Equal(101, sims.Sum(s => ((RampingInjectSimulation)s[0]).Rate));
        Assert.Equal(7, sims.Sum(s => ((RampingConstantSimulation)s[1]).Copies));
        Assert.Equal(1_001, sims.Sum(s => ((IterationsForConstantSimulation)s[2]).Iterations));
        Assert.Equal(5, sims.Sum(s => ((IterationsForConstantSimulation)s[2]).Copies));
        Assert.All(sims, s => Assert.Equal(TimeSpan.FromSeconds(2), ((PauseSimulation)s[3]).During));
    }

    [Theory]
    [InlineData(19_000, new[] { 1.0, 1.0, 1.0 })]
    [InlineData(10, new[] { 3.0, 0.0, 1.0 })]
    [InlineData(1, new[] { 1.0, 1.0, 1.0 })]
    [InlineData(7, new[] { 0.2, 0.3, 0.5 })]
    public void Apportion_adds_up_exactly_and_gives_zero_weights_nothing(long total, double[] weights)
    {
        var parts = Apportion.ByWeight(total, weights);
        Assert.Equal(total, parts.Sum());
        for (int i = 0; i < weights.Length; i++)
            if (weights[i] == 0) Assert.Equal(0, parts[i]);
    }

    [Fact]
    public void Ownership_gives_each_agent_exactly_its_share_and_puts_every_room_on_every_agent()
    {
        int[] shares = [6334, 6333, 6333];
        var owner = ClientOwnership.Interleave(shares);

        Assert.Equal(19_000, owner.Length);
        for (int a = 0; a < shares.Length; a++) Assert.Equal(shares[a], owner.Count(o => o == a));
        // Rooms of 10 neighbouring clients: members on all three agents, in proportion (3 or 4 each).
        for (int room = 0; room < 1_900; room++)
        {
            var members = owner.Skip(room * 10).Take(10).ToArray();
            for (int a = 0; a < 3; a++) Assert.InRange(members.Count(o => o == a), 3, 4);
        }
    }

    [Fact]
    public void Ownership_with_unequal_shares_is_exact_too()
    {
        int[] shares = [1, 97, 2, 0];
        var owner = ClientOwnership.Interleave(shares);
        for (int a = 0; a < shares.Length; a++) Assert.Equal(shares[a], owner.Count(o => o == a));
    }
}
