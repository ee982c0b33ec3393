using System.Text;
using ChatLoad.LoadClient.Tests.Support;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadClient.Tests.Tracking;

public sealed class DeliveryLedgerTests
{
    private readonly RecordingMetrics _metrics = new();
    private readonly ManualTime _time = new();

    private static byte[] Payload(int sender, long sequence, long timestamp)
    {
        var buffer = new byte[128];
        int n = ChatPayload.Format(buffer, sender, sequence, timestamp, 3);
        return buffer[..n];
    }

    [Fact]
    public async Task Everything_delivered_once_in_order_is_no_loss()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 3);
        for (long s = 0; s < 4; s++)
        {
            ledger.RecordSent(2); // sender 0 to receivers 1 and 2
            ledger.RecordArrival(1, Payload(0, s, _time.GetTimestamp()));
            ledger.RecordArrival(2, Payload(0, s, _time.GetTimestamp()));
        }

        Assert.Equal(0, await ledger.SettleLossAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(8, _metrics.CounterValue(ChatMetricNames.MessagesExpected));
        Assert.Equal(8, _metrics.CounterValue(ChatMetricNames.MessagesDelivered));
        Assert.Equal(0, _metrics.CounterValue(ChatMetricNames.OutOfOrder));
        Assert.Equal(0, _metrics.CounterValue(ChatMetricNames.Duplicates));
    }

    [Fact]
    public async Task Missing_messages_are_lost_after_the_drain_and_settled_once()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 2);
        ledger.RecordSent(1);
        ledger.RecordSent(1);
        ledger.RecordSent(1);
        ledger.RecordArrival(1, Payload(0, 0, 0));
        ledger.RecordArrival(1, Payload(0, 2, 0));

        Assert.Equal(1, await ledger.SettleLossAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(1, await ledger.SettleLossAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(1, _metrics.CounterValue(ChatMetricNames.Lost));
    }

    [Fact]
    public void Late_and_repeated_messages_are_counted_as_such()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 2);
        ledger.RecordArrival(1, Payload(0, 0, 0));
        ledger.RecordArrival(1, Payload(0, 2, 0));
        ledger.RecordArrival(1, Payload(0, 1, 0)); // late
        ledger.RecordArrival(1, Payload(0, 2, 0)); // repeat

        Assert.Equal(3, _metrics.CounterValue(ChatMetricNames.MessagesDelivered));
        Assert.Equal(1, _metrics.CounterValue(ChatMetricNames.OutOfOrder));
        Assert.Equal(1, _metrics.CounterValue(ChatMetricNames.Duplicates));
    }

    [Fact]
    public void Order_is_per_sender_and_per_receiver()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 4);
        // Receiver 2 hears sender 0 then 1 interleaved; receiver 3 hears them in another interleaving. No violation.
        ledger.RecordArrival(2, Payload(0, 0, 0));
        ledger.RecordArrival(2, Payload(1, 0, 0));
        ledger.RecordArrival(2, Payload(0, 1, 0));
        ledger.RecordArrival(3, Payload(1, 0, 0));
        ledger.RecordArrival(3, Payload(0, 0, 0));
        ledger.RecordArrival(3, Payload(0, 1, 0));

        Assert.Equal(0, _metrics.CounterValue(ChatMetricNames.OutOfOrder));
        Assert.Equal(6, _metrics.CounterValue(ChatMetricNames.MessagesDelivered));
    }

    [Fact]
    public void Latency_is_receive_time_minus_the_send_timestamp()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 2);
        long sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(7));
        ledger.RecordArrival(1, Payload(0, 0, sent));

        Assert.Equal([7_000L], _metrics.Latencies(ChatMetricNames.EndToEndLatency));
    }

    [Fact]
    public void Untracked_receivers_and_foreign_text_do_not_count_as_deliveries()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 2);
        ledger.Untrack(0);
        ledger.RecordArrival(0, Payload(1, 0, 0));
        ledger.RecordArrival(1, Encoding.ASCII.GetBytes("hello from irssi"));
        ledger.RecordArrival(7, Payload(1, 0, 0)); // no such receiver

        Assert.Equal(0, _metrics.CounterValue(ChatMetricNames.MessagesDelivered));
        Assert.Equal(1, _metrics.CounterValue(ChatMetricNames.Unrecognized));
    }

    [Fact]
    public void Session_trackers_feed_the_same_counters()
    {
        var ledger = new DeliveryLedger(_metrics, _time, receiverCount: 0);
        var session = new SenderSequenceTracker();
        ledger.RecordSent(2);
        ledger.RecordArrival(session, Payload(4, 0, 0));
        ledger.RecordArrival(session, Payload(4, 0, 0));

        Assert.Equal(1, _metrics.CounterValue(ChatMetricNames.MessagesDelivered));
        Assert.Equal(1, _metrics.CounterValue(ChatMetricNames.Duplicates));
    }
}
