using ChatLoad.LoadEngine;

namespace ChatLoad.LoadClient.Tracking;

/// <summary>
/// Counts, for one scenario run, what was sent and what each receiver got: expected vs delivered, duplicates,
/// per-sender order violations and end-to-end latency, as the scenario's custom metrics. Loss is only known
/// once in-flight messages had time to arrive, so it is settled by <see cref="SettleLossAsync"/> after a drain.
/// </summary>
/// <remarks>
/// Receivers are identified by a dense client index. Only tracked receivers count (the slow-consumer scenario
/// leaves its deliberately slow clients untracked: what they miss is the point of the test, not a loss).
/// Each receiver's state is touched only by that receiver's receive loop; the counters are thread-safe.
/// The ledger is also an <see cref="IClientObserver"/>: give it as <see cref="IrcLoadClientOptions.Observer"/> and
/// every chat line a client receives is recorded against that client's <see cref="IrcLoadClient.Id"/>.
/// </remarks>
public sealed class DeliveryLedger : IClientObserver
{
    private readonly TimeProvider _time;
    private readonly SenderSequenceTracker?[] _receivers;
    private readonly bool[] _tracked;
    private readonly MetricCounter _expected;
    private readonly MetricCounter _delivered;
    private readonly MetricCounter _lost;
    private readonly MetricCounter _outOfOrder;
    private readonly MetricCounter _duplicates;
    private readonly MetricCounter _unrecognized;
    private readonly MetricHistogram _latency;
    private int _settled;

    /// <summary>A ledger that records into the scenario's <paramref name="metrics"/> (the counters and histogram named
    /// in <see cref="ChatMetricNames"/>).</summary>
    /// <param name="metrics">The scenario's metrics (<c>context.Metrics</c> in init).</param>
    /// <param name="time">The scenario's clock (the one the clients stamp messages with).</param>
    /// <param name="receiverCount">Receivers are client ids 0 .. receiverCount-1.</param>
    public DeliveryLedger(ScenarioMetrics metrics, TimeProvider time, int receiverCount)
    {
        _time = time;
        _receivers = new SenderSequenceTracker?[receiverCount];
        _tracked = new bool[receiverCount];
        Array.Fill(_tracked, true);
        _expected = metrics.Counter(ChatMetricNames.MessagesExpected, "msg");
        _delivered = metrics.Counter(ChatMetricNames.MessagesDelivered, "msg");
        _lost = metrics.Counter(ChatMetricNames.Lost, "msg");
        _outOfOrder = metrics.Counter(ChatMetricNames.OutOfOrder, "msg");
        _duplicates = metrics.Counter(ChatMetricNames.Duplicates, "msg");
        _unrecognized = metrics.Counter(ChatMetricNames.Unrecognized, "msg");
        _latency = metrics.Histogram(ChatMetricNames.EndToEndLatency);
    }

    /// <summary>Deliveries expected so far.</summary>
    public long Expected => _expected.Value;

    /// <summary>Deliveries that arrived so far.</summary>
    public long Delivered => _delivered.Value;

    /// <summary>Deliveries that arrived twice.</summary>
    public long Duplicates => _duplicates.Value;

    /// <summary>Deliveries that arrived out of their sender's order.</summary>
    public long OutOfOrder => _outOfOrder.Value;

    /// <summary>Stops counting deliveries to <paramref name="receiverId"/> (set before any message is sent).</summary>
    public void Untrack(int receiverId) => _tracked[receiverId] = false;

    /// <summary>False for a receiver <see cref="Untrack"/> took out.</summary>
    public bool IsTracked(int receiverId) => _tracked[receiverId];

    void IClientObserver.OnChatMessage(IrcLoadClient receiver, ReadOnlySpan<byte> text) => RecordArrival(receiver.Id, text);

    void IClientObserver.OnPong(IrcLoadClient receiver, long sequence) { }

    void IClientObserver.OnClosed(IrcLoadClient client, string reason) { }

    /// <summary>A message was handed to the socket; <paramref name="trackedRecipients"/> receivers should get it.</summary>
    public void RecordSent(int trackedRecipients)
    {
        if (trackedRecipients > 0)
            _expected.Add(trackedRecipients);
    }

    /// <summary>Called by a receive loop for every chat line's text.</summary>
    public void RecordArrival(int receiverId, ReadOnlySpan<byte> text)
    {
        if ((uint)receiverId >= (uint)_receivers.Length || !_tracked[receiverId])
            return;
        if (!ChatPayload.TryParse(text, out int senderId, out long sequence, out long sentTimestamp))
        {
            _unrecognized.Add();
            return;
        }
        RecordArrival(receiverId, senderId, sequence, sentTimestamp);
    }

    /// <summary>Records one tracked arrival already parsed (the ping-pong scenario's PONG tokens come this way).</summary>
    public void RecordArrival(int receiverId, int senderId, long sequence, long sentTimestamp)
    {
        if ((uint)receiverId >= (uint)_receivers.Length || !_tracked[receiverId])
            return;
        Record(_receivers[receiverId] ??= new SenderSequenceTracker(), senderId, sequence, sentTimestamp);
    }

    /// <summary>For receivers that carry their own tracker (churn's short-lived sessions, not indexed).</summary>
    public void RecordArrival(SenderSequenceTracker receiver, ReadOnlySpan<byte> text)
    {
        if (!ChatPayload.TryParse(text, out int senderId, out long sequence, out long sentTimestamp))
        {
            _unrecognized.Add();
            return;
        }
        Record(receiver, senderId, sequence, sentTimestamp);
    }

    private void Record(SenderSequenceTracker tracker, int senderId, long sequence, long sentTimestamp)
    {
        switch (tracker.Observe(senderId, sequence))
        {
            case DeliveryVerdict.Duplicate:
                _duplicates.Add();
                return; // a repeat is neither a delivery nor a latency sample
            case DeliveryVerdict.OutOfOrder:
                _outOfOrder.Add();
                break;
        }
        _delivered.Add();
        long elapsed = _time.GetTimestamp() - sentTimestamp;
        if (elapsed >= 0)
            _latency.RecordTicks(elapsed);
    }

    /// <summary>
    /// Waits until every expected message arrived or <paramref name="drain"/> passed, then counts the rest as lost
    /// (once; later calls return the same figure). Returns the lost count.
    /// </summary>
    public async Task<long> SettleLossAsync(TimeSpan drain, CancellationToken cancellationToken)
    {
        long deadline = _time.GetTimestamp() + (long)(drain.TotalSeconds * _time.TimestampFrequency);
        while (Delivered < Expected && _time.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken); }
            catch (OperationCanceledException) { break; }
        }
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            long lost = Math.Max(0, Expected - Delivered);
            if (lost > 0)
                _lost.Add(lost);
        }
        return _lost.Value;
    }
}
