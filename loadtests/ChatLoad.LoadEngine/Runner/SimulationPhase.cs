namespace ChatLoad.LoadEngine.Runner;

/// <summary>A load simulation with its starting point resolved (a ramp starts where the previous one ended).</summary>
internal abstract record SimulationPhase(string Description, TimeSpan Duration)
{
    /// <summary>Resolves ramps against their predecessors. A ramp after a phase of the other model, or after a
    /// pause, starts from 0.</summary>
    public static IReadOnlyList<SimulationPhase> Resolve(IReadOnlyList<LoadSimulation> simulations)
    {
        var phases = new List<SimulationPhase>();
        double lastRate = 0;
        int lastCopies = 0;
        foreach (var simulation in simulations)
        {
            SimulationPhase phase = simulation switch
            {
                InjectSimulation s => new OpenPhase(s.Describe(), s.During, PerSecond(s.Rate, s.Interval), PerSecond(s.Rate, s.Interval)),
                RampingInjectSimulation s => new OpenPhase(s.Describe(), s.During, lastRate, PerSecond(s.Rate, s.Interval)),
                KeepConstantSimulation s => new ClosedPhase(s.Describe(), s.During, s.Copies, s.Copies),
                RampingConstantSimulation s => new ClosedPhase(s.Describe(), s.During, lastCopies, s.Copies),
                IterationsForConstantSimulation s => new FixedIterationsPhase(s.Describe(), s.Timeout, s.Copies, s.Iterations),
                PauseSimulation s => new PausePhase(s.Describe(), s.During),
                _ => throw new ArgumentException($"unknown load simulation {simulation.GetType().Name}"),
            };
            (lastRate, lastCopies) = phase switch
            {
                OpenPhase o => (o.EndRate, 0),
                ClosedPhase c => (0, c.EndCopies),
                FixedIterationsPhase f => (0, f.Copies),
                _ => (0, 0),
            };
            phases.Add(phase);
        }
        return phases;
    }

    /// <summary>The warm-up runs the first simulation held at its target level (a ramp from 0 would warm nothing).</summary>
    public static SimulationPhase? WarmUpFor(SimulationPhase? first, TimeSpan duration) => first switch
    {
        _ when duration <= TimeSpan.Zero => null,
        OpenPhase o => new OpenPhase($"warm-up: inject {o.EndRate:0.##}/s", duration, o.EndRate, o.EndRate),
        ClosedPhase c => new ClosedPhase($"warm-up: keep {c.EndCopies} copies", duration, c.EndCopies, c.EndCopies),
        FixedIterationsPhase f => new ClosedPhase($"warm-up: keep {f.Copies} copies", duration, f.Copies, f.Copies),
        _ => null,
    };

    private static double PerSecond(int rate, TimeSpan interval) => rate / interval.TotalSeconds;

    /// <summary>Bad simulations are usage errors, caught before anything starts.</summary>
    public static void Validate(LoadSimulation simulation)
    {
        string? problem = simulation switch
        {
            InjectSimulation s => RateProblem(s.Rate, s.Interval, s.During),
            RampingInjectSimulation s => RateProblem(s.Rate, s.Interval, s.During),
            KeepConstantSimulation s => CopiesProblem(s.Copies, s.During),
            RampingConstantSimulation s => CopiesProblem(s.Copies, s.During),
            IterationsForConstantSimulation s => s.Copies <= 0 ? "copies must be at least 1"
                : s.Iterations <= 0 ? "iterations must be at least 1"
                : s.Timeout <= TimeSpan.Zero ? "timeout must be positive" : null,
            PauseSimulation s => s.During <= TimeSpan.Zero ? "duration must be positive" : null,
            _ => "unknown simulation type",
        };
        if (problem is not null) throw new ArgumentException($"load simulation \"{simulation.Describe()}\": {problem}");
    }

    private static string? RateProblem(int rate, TimeSpan interval, TimeSpan during) =>
        rate < 0 ? "rate must not be negative"
        : interval <= TimeSpan.Zero ? "interval must be positive"
        : during <= TimeSpan.Zero ? "duration must be positive" : null;

    private static string? CopiesProblem(int copies, TimeSpan during) =>
        copies < 0 ? "copies must not be negative" : during <= TimeSpan.Zero ? "duration must be positive" : null;
}

/// <summary>Open model: the rate moves linearly from <see cref="StartRate"/> to <see cref="EndRate"/> (per second).</summary>
internal sealed record OpenPhase(string Description, TimeSpan Duration, double StartRate, double EndRate)
    : SimulationPhase(Description, Duration);

/// <summary>Closed model: the copy count moves linearly from <see cref="StartCopies"/> to <see cref="EndCopies"/>.</summary>
internal sealed record ClosedPhase(string Description, TimeSpan Duration, int StartCopies, int EndCopies)
    : SimulationPhase(Description, Duration);

/// <summary>Closed model: <see cref="Copies"/> copies share <see cref="Iterations"/> iterations; Duration is the timeout.</summary>
internal sealed record FixedIterationsPhase(string Description, TimeSpan Duration, int Copies, long Iterations)
    : SimulationPhase(Description, Duration);

internal sealed record PausePhase(string Description, TimeSpan Duration) : SimulationPhase(Description, Duration);
