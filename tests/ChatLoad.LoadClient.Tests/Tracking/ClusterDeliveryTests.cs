using ChatLoad.LoadClient.Tests.Support;
using ChatLoad.LoadClient.Tracking;
using ChatLoad.LoadEngine;

namespace ChatLoad.LoadClient.Tests.Tracking;

/// <summary>
/// Deliveries between agents: senders on one agent, receivers on others, each agent with its own ledger. The cluster's
/// figures must be what one process would have counted, and a loss must land on the agent whose receiver missed it,
/// sender by sender.
/// </summary>
public sealed class ClusterDeliveryTests
{
    private const int Messages = 3;
    private readonly ManualTime _time = new();

    private static byte[] Payload(int sender, long sequence, long timestamp)
    {
        var buffer = new byte[128];
        return buffer[..ChatPayload.Format(buffer, sender, sequence, timestamp, 0)];
    }

    /// <summary>Six clients in one room, two per agent; every client sends <see cref="Messages"/> messages to the five
    /// others; <paramref name="drop"/> (receiver, sender, sequence) never arrives.</summary>
    private async Task<(RecordingMetrics[] Metrics, long[] Lost)> RunAsync((int Receiver, int Sender, long Sequence)? drop)
    {
        var shares = ClusterShare.InMemory("room-chat", [2, 2, 2], _time);
        var metrics = shares.Select(_ => new RecordingMetrics()).ToArray();
        var ledgers = shares.Select((s, i) =>
        {
            var ledger = new DeliveryLedger(metrics[i], _time, receiverCount: s.TotalClients);
            ledger.JoinCluster(s);
            return ledger;
        }).ToArray();
        var clients = Enumerable.Range(0, 6).ToArray();
        foreach (int sender in clients)
            for (long sequence = 0; sequence < Messages; sequence++)
            {
                ledgers[shares[0].OwnerOf(sender)].RecordSent(5);
                foreach (int receiver in clients.Where(c => c != sender))
                    if (drop != (receiver, sender, sequence))
                        ledgers[shares[0].OwnerOf(receiver)].RecordArrival(receiver, Payload(sender, sequence, _time.GetTimestamp()));
            }

        var lost = await Task.WhenAll(shares.Select(async (share, i) =>
        {
            await ledgers[i].DrainAcrossAgentsAsync(share, TimeSpan.Zero, CancellationToken.None);
            return await ledgers[i].SettleLossAcrossAgentsAsync(share,
                share.OwnedClients.Select(c => (c, (long)Messages)).ToArray(),
                share.OwnedClients,
                receiver => clients.Where(c => c != receiver),
                CancellationToken.None);
        }));
        return (metrics, lost);
    }

    [Fact]
    public async Task Everything_delivered_across_agents_adds_up_with_no_loss()
    {
        var (metrics, lost) = await RunAsync(drop: null);

        Assert.Equal([0L, 0L, 0L], lost);
        Assert.Equal(6 * Messages * 5, metrics.Sum(m => m.CounterValue(ChatMetricNames.MessagesExpected)));
        Assert.Equal(6 * Messages * 5, metrics.Sum(m => m.CounterValue(ChatMetricNames.MessagesDelivered)));
        // Each receiver hears 5 others, 4 of them on other agents.
        Assert.Equal(6 * Messages * 4, metrics.Sum(m => m.CounterValue(ChatMetricNames.CrossAgentDeliveries)));
        Assert.Equal(0, metrics.Sum(m => m.CounterValue(ChatMetricNames.ClockCorrectedLatencies)));
        Assert.Equal(6 * Messages * 5, metrics.Sum(m => m.Latencies(ChatMetricNames.EndToEndLatency).Count));
    }

    [Fact]
    public async Task A_message_lost_between_agents_is_counted_once_on_the_receivers_agent()
    {
        var owner = ClusterShare.InMemory("room-chat", [2, 2, 2])[0];
        int receiver = 0, sender = Enumerable.Range(0, 6).First(c => owner.OwnerOf(c) != owner.OwnerOf(receiver));
        var (metrics, lost) = await RunAsync(drop: (receiver, sender, 1));

        Assert.Equal(1, lost.Sum());
        Assert.Equal(1, lost[owner.OwnerOf(receiver)]);
        long expected = metrics.Sum(m => m.CounterValue(ChatMetricNames.MessagesExpected));
        long delivered = metrics.Sum(m => m.CounterValue(ChatMetricNames.MessagesDelivered));
        Assert.Equal(expected - delivered, lost.Sum());
        Assert.Equal(1, metrics.Sum(m => m.CounterValue(ChatMetricNames.Lost)));
    }

    [Fact]
    public async Task A_receiver_hearing_a_stranger_does_not_hide_a_loss_from_its_room()
    {
        // In the totals one extra delivery (from a sender the receiver should not hear) would cancel one missing one;
        // counted sender by sender, the missing one is still lost.
        var shares = ClusterShare.InMemory("room-chat", [1, 1, 1], _time);
        var ledgers = shares.Select(s =>
        {
            var ledger = new DeliveryLedger(new RecordingMetrics(), _time, receiverCount: 3);
            ledger.JoinCluster(s);
            return ledger;
        }).ToArray();
        int a = shares[0].OwnedClients[0], b = shares[1].OwnedClients[0], c = shares[2].OwnedClients[0];
        ledgers[0].RecordSent(1);                                          // a → b, lost
        ledgers[2].RecordSent(0);                                          // c sends to nobody it is meant to...
        ledgers[1].RecordArrival(b, Payload(c, 0, _time.GetTimestamp()));  // ...yet b receives it
        var lost = await Task.WhenAll(shares.Select(async (share, i) =>
        {
            await ledgers[i].DrainAcrossAgentsAsync(share, TimeSpan.Zero, CancellationToken.None);
            return await ledgers[i].SettleLossAcrossAgentsAsync(share, [(share.OwnedClients[0], 1L)], share.OwnedClients,
                receiver => receiver == b ? [a] : [], CancellationToken.None);
        }));
        Assert.Equal(1, lost[1]);
    }
}
