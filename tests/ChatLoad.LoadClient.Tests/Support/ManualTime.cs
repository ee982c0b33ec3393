namespace ChatLoad.LoadClient.Tests.Support;

/// <summary>A clock that moves only when told (timestamps in ticks of 1 µs), for latency arithmetic in unit tests.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _now = 1_000_000;
    public override long TimestampFrequency => 1_000_000;
    public override long GetTimestamp() => Interlocked.Read(ref _now);
    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, (long)(by.TotalSeconds * TimestampFrequency));
}
