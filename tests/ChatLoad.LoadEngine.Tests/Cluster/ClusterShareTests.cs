using ChatLoad.LoadEngine.Cluster.Clock;

namespace ChatLoad.LoadEngine.Tests.Cluster;

/// <summary>What a scenario sees of its cluster: which clients are its own, the collectives, and timestamps from other
/// agents read on one clock.</summary>
public class ClusterShareTests
{
    [Fact]
    public async Task AllGather_returns_every_agents_part_in_agent_order_to_every_agent()
    {
        var shares = ClusterShare.InMemory("room-chat", [2, 2, 2]);
        var results = await Task.WhenAll(shares.Select(s => s.AllGatherAsync("ready", new[] { (byte)(10 + s.AgentIndex) }, CancellationToken.None)));

        foreach (var parts in results)
            Assert.Equal([10, 11, 12], parts.Select(p => p.Span[0]).ToArray());
    }

    [Fact]
    public async Task Sum_adds_element_by_element_and_calls_with_the_same_key_do_not_mix()
    {
        var shares = ClusterShare.InMemory("room-chat", [1, 1]);
        var first = await Task.WhenAll(shares.Select(s => s.SumAsync("drain", [1, 10 * (s.AgentIndex + 1)], CancellationToken.None)));
        var second = await Task.WhenAll(shares.Select(s => s.SumAsync("drain", [5, 5], CancellationToken.None)));

        Assert.All(first, sums => Assert.Equal([2L, 30L], sums));
        Assert.All(second, sums => Assert.Equal([10L, 10L], sums));
    }

    [Fact]
    public async Task A_barrier_holds_until_the_last_agent_arrives()
    {
        var shares = ClusterShare.InMemory("idle-hold", [1, 1, 1]);
        var early = shares.Take(2).Select(s => s.BarrierAsync("quit", CancellationToken.None)).ToArray();
        await Task.Delay(50);
        Assert.All(early, t => Assert.False(t.IsCompleted));

        await shares[2].BarrierAsync("quit", CancellationToken.None);
        await Task.WhenAll(early);
    }

    [Fact]
    public void Owned_clients_are_this_agents_part_of_the_cluster_layout()
    {
        var shares = ClusterShare.InMemory("room-chat", [3, 2]);

        Assert.Equal(5, shares[0].TotalClients);
        Assert.Equal(3, shares[0].OwnedClients.Count);
        Assert.Equal(2, shares[1].OwnedClients.Count);
        Assert.Empty(shares[0].OwnedClients.Intersect(shares[1].OwnedClients));
        Assert.All(shares[1].OwnedClients, c => Assert.Equal(1, shares[0].OwnerOf(c)));
        Assert.All(shares[1].OwnedClients, c => Assert.True(shares[1].Owns(c)));
    }

    [Fact]
    public void A_timestamp_from_an_agent_on_the_same_clock_is_read_as_it_is()
    {
        var share = Share(("a", "boot-1", 0), ("b", "boot-1", 5e6));
        long elapsed = share.ElapsedTicksSince(1, sentTimestamp: 1_000_000, now: 3_000_000, out bool corrected);

        Assert.False(corrected);
        Assert.Equal(2_000_000, elapsed);
    }

    [Fact]
    public void A_timestamp_from_another_machine_is_moved_by_both_measured_offsets()
    {
        // b's clock reads 5 ms more than the coordinator's, a's (this agent) 1 ms more: a stamp b took at 10 ms
        // was coordinator time 5 ms; now on a is 12 ms = coordinator time 11 ms; so 6 ms have passed.
        var share = Share(("a", "boot-1", 1e6), ("b", "boot-2", 5e6));
        long elapsed = share.ElapsedTicksSince(1, sentTimestamp: 10_000_000, now: 12_000_000, out bool corrected);

        Assert.True(corrected);
        Assert.Equal(6_000_000, elapsed);
    }

    [Fact]
    public void The_clock_offset_comes_from_the_probe_with_the_shortest_round_trip()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var offset = ClockOffset.From(
        [
            new ClockSample(0, 10_000_000, 9_000_000, t0, t0.AddMilliseconds(10), t0.AddMilliseconds(9)), // 10 ms round trip
            new ClockSample(20_000_000, 20_200_000, 25_100_000, t0.AddMilliseconds(20), t0.AddMilliseconds(20.2), t0.AddMilliseconds(22.1)), // 0.2 ms
        ]);

        Assert.Equal(5_000_000, offset.MonotonicOffsetNs, 1);
        Assert.Equal(2.0, offset.WallOffsetMs, 3);
        Assert.Equal(0.1, offset.UncertaintyMs, 6);
        Assert.Equal(2, offset.Samples);
    }

    private static ClusterShare Share(params (string Name, string Boot, double OffsetNs)[] agents)
    {
        // Nanosecond ticks, as TimeProvider.System on Linux.
        var peers = agents.Select(a => new ClusterPeer(a.Name, a.Boot, a.OffsetNs, 1_000_000_000)).ToArray();
        return new ClusterShare("r1", "room-chat", 0, peers, peers.Select(_ => 1).ToArray(), [], true, new InMemoryCollectives(peers.Length), TimeProvider.System);
    }
}
