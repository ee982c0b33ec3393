namespace ChatLoad.Server.Chat.Limits;

/// <summary>
/// "At most <see cref="RateSettings.Burst"/> events at once, then one more every <see cref="RateSettings.Interval"/>":
/// a token bucket on <see cref="TimeProvider"/> timestamps, for the per-client NICK and JOIN/PART rates.
/// </summary>
/// <remarks>
/// A mutable struct kept as a field of its owner and used under the owner's lock (no allocation per client, no timer:
/// tokens are added lazily from the time elapsed). The bucket starts full; a burst of 0 means unlimited. Written here
/// rather than System.Threading.RateLimiting's TokenBucketRateLimiter, which reads its own clock and allocates a lease
/// per acquire: this one runs on the injected TimeProvider, so its tests use fake time.
/// </remarks>
internal struct TokenBucket
{
    private readonly RateSettings _settings;
    private int _tokens;
    private long _refilledAt;
    private bool _started;

    public TokenBucket(RateSettings settings) => _settings = settings;

    /// <summary>Takes one token if there is one. Otherwise false and, in <paramref name="retryAfter"/>, how long
    /// until the next token.</summary>
    public bool TryTake(long now, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_settings.Burst == 0)
            return true;
        if (!_started)
        {
            _started = true;
            _tokens = _settings.Burst;
            _refilledAt = now;
        }
        else if (now > _refilledAt)
        {
            long earned = (now - _refilledAt) / _settings.Interval;
            if (_tokens + earned >= _settings.Burst)
            {
                _tokens = _settings.Burst;
                _refilledAt = now;
            }
            else
            {
                _tokens += (int)earned;
                _refilledAt += earned * _settings.Interval;
            }
        }

        if (_tokens > 0)
        {
            _tokens--;
            return true;
        }
        long wait = _refilledAt + _settings.Interval - now;
        retryAfter = TimeSpan.FromSeconds((double)wait / _settings.TimestampFrequency);
        return false;
    }
}

/// <summary>A rate in <see cref="TimeProvider"/> timestamp units: <paramref name="Burst"/> at once (0 = unlimited),
/// one more per <paramref name="Interval"/> timestamp ticks (<paramref name="TimestampFrequency"/> per second).</summary>
internal sealed record RateSettings(int Burst, long Interval, long TimestampFrequency)
{
    public static RateSettings Create(int burst, TimeSpan interval, TimeProvider time) =>
        new(burst, Math.Max(1, (long)(interval.TotalSeconds * time.TimestampFrequency)), time.TimestampFrequency);
}
