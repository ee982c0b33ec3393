namespace ChatLoad.LoadClient.Tracking;

/// <summary>How one arrival compares with what this receiver saw from the same sender before.</summary>
public enum DeliveryVerdict
{
    /// <summary>The next sequence number, or a later one (earlier ones are then missing, maybe still on their way).</summary>
    InOrder,

    /// <summary>A number that was missing: it arrived after a later one. Delivered, but out of order.</summary>
    OutOfOrder,

    /// <summary>A number this receiver already had.</summary>
    Duplicate,
}

/// <summary>
/// One receiver's view of every sender it hears from: the highest sequence number seen and the numbers skipped
/// below it. Telling a late arrival (out of order) from a repeat (duplicate) needs the skipped set; in a healthy
/// run it stays empty and is never allocated. Used by one receive loop only, so it takes no locks.
/// </summary>
public sealed class SenderSequenceTracker
{
    /// <summary>Most skipped numbers remembered per sender. A bigger gap is counted as loss at once and forgotten,
    /// so a sender whose messages are mostly lost cannot grow the generator's memory without bound.</summary>
    public const int MaxRememberedGaps = 4096;

    private readonly Dictionary<int, SenderProgress> _senders = new();

    /// <summary>Skipped numbers dropped from memory because a gap passed <see cref="MaxRememberedGaps"/>; if one of
    /// them arrives later it is counted as a duplicate.</summary>
    public long ForgottenGaps { get; private set; }

    /// <summary>Arrivals that were not duplicates (in order or late).</summary>
    public long Accepted { get; private set; }

    /// <summary>Arrivals from <paramref name="senderId"/> that were not duplicates: the distinct sequence numbers this
    /// receiver got from that sender (a cluster run reconciles them against the sender's count, sender by sender).</summary>
    public long AcceptedFrom(int senderId) => _senders.TryGetValue(senderId, out var progress) ? progress.Accepted : 0;

    /// <summary>Called after each accepted arrival, on the receive loop (churn waits on it for its session's messages).</summary>
    public Action<SenderSequenceTracker>? OnAccepted { get; set; }

    /// <summary>Records an arrival of <paramref name="sequence"/> from <paramref name="senderId"/> and says how it compares.</summary>
    public DeliveryVerdict Observe(int senderId, long sequence)
    {
        if (!_senders.TryGetValue(senderId, out SenderProgress? progress))
        {
            progress = new SenderProgress();
            _senders.Add(senderId, progress);
        }
        var verdict = progress.Observe(sequence, this);
        if (verdict != DeliveryVerdict.Duplicate)
        {
            Accepted++;
            progress.Accepted++;
            OnAccepted?.Invoke(this);
        }
        return verdict;
    }

    private sealed class SenderProgress
    {
        private long _highest = -1;
        private HashSet<long>? _missing;

        public long Accepted;

        public DeliveryVerdict Observe(long sequence, SenderSequenceTracker owner)
        {
            if (sequence > _highest)
            {
                long gap = sequence - _highest - 1;
                if (gap > 0)
                    RememberGap(_highest + 1, sequence, owner);
                _highest = sequence;
                return DeliveryVerdict.InOrder;
            }
            if (_missing is not null && _missing.Remove(sequence))
                return DeliveryVerdict.OutOfOrder;
            return DeliveryVerdict.Duplicate;
        }

        private void RememberGap(long from, long toExclusive, SenderSequenceTracker owner)
        {
            _missing ??= new HashSet<long>();
            for (long s = from; s < toExclusive; s++)
            {
                if (_missing.Count >= MaxRememberedGaps)
                {
                    owner.ForgottenGaps += toExclusive - s;
                    return;
                }
                _missing.Add(s);
            }
        }
    }
}
