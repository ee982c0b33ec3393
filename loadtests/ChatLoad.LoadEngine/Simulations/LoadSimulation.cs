namespace ChatLoad.LoadEngine;

/// <summary>
/// How load is applied for a span of time; made by <see cref="Simulation"/> (NBomber's names) and given to
/// <see cref="ScenarioProps.WithLoadSimulations"/>. Several run in sequence per scenario.
/// </summary>
public abstract record LoadSimulation
{
    /// <summary>Wall time this simulation runs (for <see cref="Simulation.IterationsForConstant"/>, an upper bound).</summary>
    public abstract TimeSpan Duration { get; }

    /// <summary>Human text for the console and reports, e.g. "inject 100/1s for 30s".</summary>
    public abstract string Describe();
}

/// <summary>See <see cref="Simulation.Inject"/>.</summary>
/// <param name="Rate">Iterations started per <paramref name="Interval"/>.</param>
/// <param name="Interval">The period the rate is counted over (usually one second).</param>
/// <param name="During">How long it runs.</param>
public sealed record InjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override TimeSpan Duration => During;

    /// <inheritdoc/>
    public override string Describe() => $"inject {Rate}/{Interval.TotalSeconds:0.###}s for {During.TotalSeconds:0.###}s";
}

/// <summary>See <see cref="Simulation.RampingInject"/>.</summary>
/// <param name="Rate">The rate reached at the end, per <paramref name="Interval"/>.</param>
/// <param name="Interval">The period the rate is counted over.</param>
/// <param name="During">How long the ramp takes.</param>
public sealed record RampingInjectSimulation(int Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override TimeSpan Duration => During;

    /// <inheritdoc/>
    public override string Describe() => $"ramp inject to {Rate}/{Interval.TotalSeconds:0.###}s over {During.TotalSeconds:0.###}s";
}

/// <summary>See <see cref="Simulation.KeepConstant"/>.</summary>
/// <param name="Copies">Copies looping at once.</param>
/// <param name="During">How long they loop.</param>
public sealed record KeepConstantSimulation(int Copies, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override TimeSpan Duration => During;

    /// <inheritdoc/>
    public override string Describe() => $"keep {Copies} copies for {During.TotalSeconds:0.###}s";
}

/// <summary>See <see cref="Simulation.RampingConstant"/>.</summary>
/// <param name="Copies">The copy count reached at the end.</param>
/// <param name="During">How long the ramp takes.</param>
public sealed record RampingConstantSimulation(int Copies, TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override TimeSpan Duration => During;

    /// <inheritdoc/>
    public override string Describe() => $"ramp to {Copies} copies over {During.TotalSeconds:0.###}s";
}

/// <summary>See <see cref="Simulation.IterationsForConstant"/>.</summary>
/// <param name="Copies">Copies looping at once.</param>
/// <param name="Iterations">Iterations in all.</param>
/// <param name="Timeout">The most it may take.</param>
public sealed record IterationsForConstantSimulation(int Copies, long Iterations, TimeSpan Timeout) : LoadSimulation
{
    /// <inheritdoc/>
    public override TimeSpan Duration => Timeout;

    /// <inheritdoc/>
    public override string Describe() => $"{Iterations} iterations on {Copies} copies";
}

/// <summary>See <see cref="Simulation.Pause"/>.</summary>
/// <param name="During">How long nothing new starts.</param>
public sealed record PauseSimulation(TimeSpan During) : LoadSimulation
{
    /// <inheritdoc/>
    public override TimeSpan Duration => During;

    /// <inheritdoc/>
    public override string Describe() => $"pause {During.TotalSeconds:0.###}s";
}
