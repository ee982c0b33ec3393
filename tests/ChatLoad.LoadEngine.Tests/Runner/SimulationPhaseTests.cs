using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.Tests.Runner;

public class SimulationPhaseTests
{
    [Fact]
    public void Ramps_start_where_the_previous_simulation_ended()
    {
        var phases = SimulationPhase.Resolve([
            Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            Simulation.RampingInject(300, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            Simulation.RampingConstant(8, TimeSpan.FromSeconds(5)),
            Simulation.RampingConstant(2, TimeSpan.FromSeconds(5)),
            Simulation.Pause(TimeSpan.FromSeconds(1)),
            Simulation.RampingInject(10, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5)),
        ]);
        Assert.Equal(new OpenPhase("inject 100/1s for 5s", TimeSpan.FromSeconds(5), 100, 100), phases[0]);
        Assert.Equal((100d, 300d), (((OpenPhase)phases[1]).StartRate, ((OpenPhase)phases[1]).EndRate));
        Assert.Equal((0, 8), (((ClosedPhase)phases[2]).StartCopies, ((ClosedPhase)phases[2]).EndCopies));
        Assert.Equal((8, 2), (((ClosedPhase)phases[3]).StartCopies, ((ClosedPhase)phases[3]).EndCopies));
        Assert.IsType<PausePhase>(phases[4]);
        Assert.Equal((0d, 20d), (((OpenPhase)phases[5]).StartRate, ((OpenPhase)phases[5]).EndRate));
    }

    [Fact]
    public void Warm_up_holds_the_first_simulation_at_its_target()
    {
        var ramp = SimulationPhase.Resolve([Simulation.RampingInject(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10))])[0];
        var warmUp = Assert.IsType<OpenPhase>(SimulationPhase.WarmUpFor(ramp, TimeSpan.FromSeconds(3)));
        Assert.Equal((200d, 200d, TimeSpan.FromSeconds(3)), (warmUp.StartRate, warmUp.EndRate, warmUp.Duration));
        Assert.Null(SimulationPhase.WarmUpFor(ramp, TimeSpan.Zero));
    }

    [Theory]
    [MemberData(nameof(BadSimulations))]
    public void Bad_simulations_are_rejected_with_the_reason(LoadSimulation simulation, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => SimulationPhase.Validate(simulation));
        Assert.Contains(reason, error.Message);
    }

    public static TheoryData<LoadSimulation, string> BadSimulations() => new()
    {
        { Simulation.Inject(-1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), "rate must not be negative" },
        { Simulation.Inject(10, TimeSpan.Zero, TimeSpan.FromSeconds(1)), "interval must be positive" },
        { Simulation.KeepConstant(5, TimeSpan.Zero), "duration must be positive" },
        { Simulation.IterationsForConstant(0, 10), "copies must be at least 1" },
        { Simulation.IterationsForConstant(2, 0), "iterations must be at least 1" },
    };
}
