namespace ChatLoad.LoadEngine;

/// <summary>
/// How load is applied for a span of time. Several run in sequence per scenario.
/// Open model (<see cref="Inject"/>, <see cref="RampingInject"/>): iterations start on a schedule whether or not
/// earlier ones finished; latency counts from the scheduled start. Closed model (<see cref="KeepConstant"/>,
/// <see cref="RampingConstant"/>, <see cref="IterationsForConstant"/>): N copies each loop one iteration after another.
/// </summary>
public abstract record LoadSimulation
{
    /// <summary>Wall time this simulation runs (for <see cref="IterationsForConstant"/>, an upper bound).</summary>
    public abstract TimeSpan Duration { get; }

    /// <summary>Human text for the console and reports, e.g. "inject 100/1s for 30s".</summary>
    public abstract string Describe();

    /// <summary>Open model: start <paramref name="rate"/> iterations per <paramref name="interval"/> for <paramref name="during"/>.</summary>
    public static LoadSimulation Inject(int rate, TimeSpan interval, TimeSpan during) => new InjectSimulation(rate, interval, during);

    /// <summary>Open model: move the rate linearly from the previous simulation's rate (0 if none) to <paramref name="rate"/>.</summary>
    public static LoadSimulation RampingInject(int rate, TimeSpan interval, TimeSpan during) => new RampingInjectSimulation(rate, interval, during);

    /// <summary>Closed model: keep <paramref name="copies"/> iterations in flight for <paramref name="during"/>.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) => new KeepConstantSimulation(copies, during);

    /// <summary>Closed model: move the copy count linearly from the previous simulation's (0 if none) to <paramref name="copies"/>.</summary>
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) => new RampingConstantSimulation(copies, during);

    /// <summary>Closed model: <paramref name="copies"/> copies run <paramref name="iterations"/> iterations in all, then stop
    /// (bounded by <paramref name="timeout"/>).</summary>
    public static LoadSimulation IterationsForConstant(int copies, long iterations, TimeSpan? timeout = null) =>
        new IterationsForConstantSimulation(copies, iterations, timeout ?? TimeSpan.FromMinutes(10));

    /// <summary>No new iterations for <paramref name="during"/> (in-flight ones finish).</summary>
    public static LoadSimulation Pause(TimeSpan during) => new PauseSimulation(during);
}

public sealed record InjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;
    public override string Describe() => $"inject {Rate}/{Interval.TotalSeconds:0.###}s for {During.TotalSeconds:0.###}s";
}

public sealed record RampingInjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;
    public override string Describe() => $"ramp inject to {Rate}/{Interval.TotalSeconds:0.###}s over {During.TotalSeconds:0.###}s";
}

public sealed record KeepConstantSimulation(int Copies, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;
    public override string Describe() => $"keep {Copies} copies for {During.TotalSeconds:0.###}s";
}

public sealed record RampingConstantSimulation(int Copies, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;
    public override string Describe() => $"ramp to {Copies} copies over {During.TotalSeconds:0.###}s";
}

public sealed record IterationsForConstantSimulation(int Copies, long Iterations, TimeSpan Timeout) : LoadSimulation
{
    public override TimeSpan Duration => Timeout;
    public override string Describe() => $"{Iterations} iterations on {Copies} copies";
}

public sealed record PauseSimulation(TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;
    public override string Describe() => $"pause {During.TotalSeconds:0.###}s";
}
