namespace ChatLoad.LoadEngine;

/// <summary>
/// The load simulations, by NBomber's names: <c>.WithLoadSimulations(Simulation.Inject(rate: 100, interval:
/// TimeSpan.FromSeconds(1), during: TimeSpan.FromSeconds(30)))</c>. Several run one after another.
/// </summary>
/// <remarks>
/// Open model (<see cref="Inject"/>, <see cref="RampingInject"/>): iterations start on a schedule whether or not
/// earlier ones finished, and latency counts from the scheduled start, so a slow target cannot slow the load down
/// and hide its own latency (coordinated omission). Closed model (<see cref="KeepConstant"/>,
/// <see cref="RampingConstant"/>, <see cref="IterationsForConstant"/>): a number of copies each loop one iteration
/// after another, as a fixed set of connected users would.
/// </remarks>
public static class Simulation
{
    /// <summary>Open model: start <paramref name="rate"/> iterations per <paramref name="interval"/> for <paramref name="during"/>.</summary>
    public static LoadSimulation Inject(int rate, TimeSpan interval, TimeSpan during) => new InjectSimulation(rate, interval, during);

    /// <summary>Open model: move the rate linearly from the previous simulation's rate (0 if none) to <paramref name="rate"/>.</summary>
    public static LoadSimulation RampingInject(int rate, TimeSpan interval, TimeSpan during) => new RampingInjectSimulation(rate, interval, during);

    /// <summary>Closed model: keep <paramref name="copies"/> iterations in flight for <paramref name="during"/>.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) => new KeepConstantSimulation(copies, during);

    /// <summary>Closed model: move the copy count linearly from the previous simulation's (0 if none) to <paramref name="copies"/>.</summary>
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) => new RampingConstantSimulation(copies, during);

    /// <summary>Closed model: <paramref name="copies"/> copies run <paramref name="iterations"/> iterations in all, then stop.</summary>
    /// <param name="copies">Iterations in flight at once.</param>
    /// <param name="iterations">Iterations in all.</param>
    /// <param name="timeout">Upper bound on the simulation's time (default 10 minutes), so a hung target cannot hang
    /// the run. Not in NBomber, which has no bound.</param>
    public static LoadSimulation IterationsForConstant(int copies, long iterations, TimeSpan? timeout = null) =>
        new IterationsForConstantSimulation(copies, iterations, timeout ?? TimeSpan.FromMinutes(10));

    /// <summary>No new iterations for <paramref name="during"/> (in-flight ones finish).</summary>
    public static LoadSimulation Pause(TimeSpan during) => new PauseSimulation(during);
}
