namespace ChatLoad.LoadEngine.Cluster.Clock;

/// <summary>One clock probe: the coordinator's clock when it asked and when the answer came, and the agent's clocks
/// when it answered. Monotonic readings in nanoseconds; wall clocks as UTC.</summary>
internal readonly record struct ClockSample(double SentNs, double ReceivedNs, double AgentNs, DateTimeOffset SentUtc, DateTimeOffset ReceivedUtc, DateTimeOffset AgentUtc)
{
    public double RoundTripNs => ReceivedNs - SentNs;
}

/// <summary>
/// The measured offset of an agent's clocks from the coordinator's, NTP's way: the agent read its clock somewhere
/// between the question and the answer, so with the round trip split evenly it read it at the midpoint, give or take
/// half the round trip. Of several probes the one with the shortest round trip is kept (the least queueing, the
/// tightest bound).
/// </summary>
/// <param name="MonotonicOffsetNs">The agent's monotonic clock minus the coordinator's (what cross-agent latencies are corrected by).</param>
/// <param name="WallOffsetMs">The agent's wall clock minus the coordinator's, ms (for the report: how far apart the machines' times are).</param>
/// <param name="RoundTripMs">The best probe's round trip, ms.</param>
/// <param name="Samples">Probes taken.</param>
internal sealed record ClockOffset(double MonotonicOffsetNs, double WallOffsetMs, double RoundTripMs, int Samples)
{
    /// <summary>The offset is known to within this, ms: half the best round trip.</summary>
    public double UncertaintyMs => RoundTripMs / 2;

    /// <summary>Probes per agent. Default 8: enough that one of them sees an idle path, quick (each a few ms).</summary>
    public const int DefaultProbes = 8;

    public static ClockOffset From(IReadOnlyList<ClockSample> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no clock samples");
        var best = samples.MinBy(s => s.RoundTripNs);
        double midNs = best.SentNs + best.RoundTripNs / 2;
        var midUtc = best.SentUtc + (best.ReceivedUtc - best.SentUtc) / 2;
        return new ClockOffset(best.AgentNs - midNs, (best.AgentUtc - midUtc).TotalMilliseconds, best.RoundTripNs / 1e6, samples.Count);
    }
}

/// <summary>This process's clocks as the cluster needs them.</summary>
internal static class HostClock
{
    private const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>The machine's boot id (Linux); two processes with the same one read the same CLOCK_MONOTONIC, which
    /// is what <see cref="TimeProvider.GetTimestamp"/> reads there. Empty where unknown (then no two agents are
    /// taken to share a clock).</summary>
    public static string BootId { get; } = ReadBootId();

    public static double NowNs(TimeProvider time) => time.GetTimestamp() * 1e9 / time.TimestampFrequency;

    private static string ReadBootId()
    {
        try
        {
            return File.Exists(BootIdPath) ? File.ReadAllText(BootIdPath).Trim() : "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
