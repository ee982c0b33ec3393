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
    /// <summary>How often a cluster drain asks the other agents whether every expected message has arrived.</summary>
    private static readonly TimeSpan ClusterDrainPoll = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _time;
    private readonly ScenarioMetrics _metrics;
    private ClusterShare? _cluster;
    private MetricCounter? _fromOtherAgents;
    private MetricCounter? _clockCorrected;
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
        _metrics = metrics;
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

    /// <summary>
    /// For a cluster run whose client ids are the cluster's (<see cref="ClusterShare.OwnerOf"/>): a message's send
    /// timestamp is read on its sender's agent's clock — directly when that agent shares this machine's clock, else
    /// moved by the measured offsets and counted in "e2e clock-corrected" — and deliveries from other agents are counted.
    /// </summary>
    public void JoinCluster(ClusterShare share)
    {
        _cluster = share;
        _fromOtherAgents = _metrics.Counter(ChatMetricNames.CrossAgentDeliveries, "msg");
        _clockCorrected = _metrics.Counter(ChatMetricNames.ClockCorrectedLatencies, "msg");
    }

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
        long now = _time.GetTimestamp();
        long elapsed = now - sentTimestamp;
        if (_cluster is { } cluster && (uint)senderId < (uint)cluster.TotalClients)
        {
            int sender = cluster.OwnerOf(senderId);
            if (sender != cluster.AgentIndex) _fromOtherAgents!.Add();
            elapsed = cluster.ElapsedTicksSince(sender, sentTimestamp, now, out bool corrected);
            if (corrected) _clockCorrected!.Add();
        }
        if (elapsed >= 0)
            _latency.RecordTicks(elapsed);
    }

    /// <summary>
    /// A cluster run's drain: every agent waits together until the whole cluster has delivered what its senders expected,
    /// or until <paramref name="drain"/> passed on any agent (all stop on the same round, since each round's sums are
    /// the same everywhere). Loss is counted afterwards (<see cref="SettleLossAcrossAgentsAsync"/>, or
    /// <see cref="SettleLossAsync"/> with no drain for a scenario whose agents do not talk to each other).
    /// </summary>
    public async Task DrainAcrossAgentsAsync(ClusterShare share, TimeSpan drain, CancellationToken cancellationToken)
    {
        long deadline = _time.GetTimestamp() + (long)(drain.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            bool late = _time.GetTimestamp() >= deadline;
            var sums = await share.SumAsync("drain", [Expected, Delivered, late ? 1 : 0], cancellationToken).ConfigureAwait(false);
            if (sums[1] >= sums[0] || sums[2] > 0)
                return;
            await Task.Delay(ClusterDrainPoll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A cluster run's loss, exact per sender and receiver when senders and receivers sit on different agents: every
    /// agent tells the others how many messages each of its senders sent (<paramref name="ownSenders"/>: sequence
    /// numbers are contiguous from 0, so the count is the highest sequence + 1), and then counts, for each of its own
    /// tracked receivers and each sender it should hear (<paramref name="sendersHeardBy"/>), the sender's messages it did
    /// not get. Call after <see cref="DrainAcrossAgentsAsync"/>. Once; later calls return the same figure.
    /// </summary>
    public async Task<long> SettleLossAcrossAgentsAsync(ClusterShare share, IReadOnlyList<(int Sender, long Sent)> ownSenders, IEnumerable<int> ownReceivers,
        Func<int, IEnumerable<int>> sendersHeardBy, CancellationToken cancellationToken)
    {
        var mine = new byte[ownSenders.Count * 12];
        for (int i = 0; i < ownSenders.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(mine.AsSpan(i * 12), ownSenders[i].Sender);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(mine.AsSpan(i * 12 + 4), ownSenders[i].Sent);
        }
        var all = await share.AllGatherAsync("sent", mine, cancellationToken).ConfigureAwait(false);
        var sent = new long[share.TotalClients];
        foreach (var part in all)
            for (int at = 0; at + 12 <= part.Length; at += 12)
            {
                int sender = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(part.Span.Slice(at));
                if ((uint)sender < (uint)sent.Length) sent[sender] = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(part.Span.Slice(at + 4));
            }
        long lost = 0;
        foreach (int receiver in ownReceivers)
        {
            if ((uint)receiver >= (uint)_receivers.Length || !_tracked[receiver]) continue;
            var tracker = _receivers[receiver];
            foreach (int sender in sendersHeardBy(receiver))
                lost += Math.Max(0, sent[sender] - (tracker?.AcceptedFrom(sender) ?? 0));
        }
        if (Interlocked.Exchange(ref _settled, 1) == 0 && lost > 0)
            _lost.Add(lost);
        return _lost.Value;
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
