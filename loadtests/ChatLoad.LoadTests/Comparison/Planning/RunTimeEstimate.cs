namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// How long a rung takes on the wall clock, for the plan's ETA and for each rung's hard timeout. The constants were
/// measured on the 2-core development machine (saturation probes of 2 s measured took 4.5–6 s each, servers started
/// in 0.5–1.6 s and stopped in 0.1 s, a 16,000-client threads idle-hold took 53 s on a machine at load 40); they
/// lean pessimistic so that the ETA is an upper estimate.
/// </summary>
public static class RunTimeEstimate
{
    /// <summary>Starting the load CLI (runtime start, JIT) and writing its reports.</summary>
    public static readonly TimeSpan ProcessOverhead = TimeSpan.FromSeconds(2);

    /// <summary>Starting a server, waiting until it accepts, and stopping it with SIGTERM.</summary>
    public static readonly TimeSpan ServerLifetimeOverhead = TimeSpan.FromSeconds(1.5);

    /// <summary>Clients connected and registered per second when a scenario opens its clients: the chat suite paces
    /// connects at 1,000/s by default (its connect-rate setting).</summary>
    public const double ConnectsPerSecond = 1_000;

    public static TimeSpan ForRung(RungSpec rung) =>
        ProcessOverhead + rung.WarmUp + rung.Duration + rung.Tail + TimeSpan.FromSeconds(rung.Clients / ConnectsPerSecond);

    /// <summary>A rung that has not finished after this long is killed and recorded as a timeout: three times the
    /// estimate plus 30 s, so a slow but working run is never cut, yet a hung one cannot stall the comparison.</summary>
    public static TimeSpan HardTimeout(RungSpec rung) => 3 * ForRung(rung) + TimeSpan.FromSeconds(30);
}
