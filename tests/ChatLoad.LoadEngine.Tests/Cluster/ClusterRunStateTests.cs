using ChatLoad.LoadEngine.Cluster.Clock;
using ChatLoad.LoadEngine.Cluster.Coordinator;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Runner;
using ChatLoad.LoadEngine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.LoadEngine.Tests.Cluster;

/// <summary>The coordinator's bookkeeping, without a network: the start barrier, the collectives, lost agents, the
/// live merge and what a lost agent contributed.</summary>
public class ClusterRunStateTests
{
    private readonly FakeTimeProvider _time = FakeClock.NewTime();

    private ClusterRunState NewState(int agents, params string[] scenarios)
    {
        var states = Enumerable.Range(0, agents).Select(i => new AgentState(Hello($"agent{i}"), i, new ClockOffset(0, 0, 0.1, 8))).ToList();
        var shares = scenarios.ToDictionary(s => s, _ => (IReadOnlyList<int>)Enumerable.Repeat(10, agents).ToArray());
        return new ClusterRunState(states, scenarios, shares, _time);
    }

    private static AgentHello Hello(string name) => new()
    {
        Name = name,
        Protocol = ClusterProtocol.Version,
        EngineVersion = ClusterProtocol.EngineVersion,
        Capacity = new AgentCapacityReport(2, 20_000, 19_744, []),
        TimestampFrequency = TimeProvider.System.TimestampFrequency,
    };

    [Fact]
    public void A_scenario_starts_only_when_every_agent_finished_its_init()
    {
        var state = NewState(3, "room-chat");
        Assert.Empty(state.OnReady(new ReadyReport("agent0", "room-chat", true)));
        Assert.Empty(state.OnReady(new ReadyReport("agent1", "room-chat", true)));

        var start = Assert.IsType<StartScenario>(Assert.Single(state.OnReady(new ReadyReport("agent2", "room-chat", true))));
        Assert.Equal(3, start.Agents.Count);
        Assert.Empty(state.OnReady(new ReadyReport("agent2", "room-chat", true))); // once
    }

    [Fact]
    public void An_agent_whose_init_failed_is_left_out_of_the_start_and_of_later_collectives()
    {
        var state = NewState(2, "room-chat");
        state.OnContribution("agent0", "room-chat", "1:clients ready", [1]);
        var actions = state.OnReady(new ReadyReport("agent1", "room-chat", false, "none of 10 clients could connect"));

        var gather = Assert.Single(actions.OfType<DeliverGather>());
        Assert.Equal(["agent0"], gather.To.Select(a => a.Name));
        Assert.Equal([1], GatherFrame.Decode(gather.Frame)[0].ToArray());
        Assert.Equal(0, GatherFrame.Decode(gather.Frame)[1].Length);
        Assert.Empty(actions.OfType<StartScenario>()); // agent0 has not reported its own init yet
        Assert.Equal(["agent0"], Assert.IsType<StartScenario>(Assert.Single(state.OnReady(new ReadyReport("agent0", "room-chat", true)))).Agents.Select(a => a.Name));
    }

    [Fact]
    public void A_silent_agent_is_lost_and_the_collective_it_held_up_completes_without_it()
    {
        var state = NewState(3, "room-chat");
        foreach (var name in new[] { "agent0", "agent1", "agent2" }) state.OnReady(new ReadyReport(name, "room-chat", true));
        _time.Advance(TimeSpan.FromSeconds(2));
        state.OnProgress(Report("agent0", ok: 5));
        state.OnProgress(Report("agent1", ok: 7));
        Assert.Empty(state.OnContribution("agent0", "room-chat", "4:drain", [1]));
        Assert.Empty(state.OnContribution("agent1", "room-chat", "4:drain", [2]));

        _time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Empty(state.CheckSilence(TimeSpan.FromSeconds(5))); // agent2 silent 4.5 s: not yet

        _time.Advance(TimeSpan.FromSeconds(1));
        var actions = state.CheckSilence(TimeSpan.FromSeconds(5));
        Assert.Equal("agent2", Assert.Single(actions.OfType<AgentLost>()).Agent.Name);
        var gather = Assert.Single(actions.OfType<DeliverGather>());
        Assert.Equal(["agent0", "agent1"], gather.To.Select(a => a.Name));
        Assert.Equal(0, GatherFrame.Decode(gather.Frame)[2].Length);
        Assert.Empty(state.OnContribution("agent2", "room-chat", "5:drain", [3])); // a lost agent is heard no more
    }

    [Fact]
    public void Silence_past_the_timeout_is_a_loss_recorded_with_when_it_last_reported()
    {
        var state = NewState(2, "room-chat");
        foreach (var name in new[] { "agent0", "agent1" }) state.OnReady(new ReadyReport(name, "room-chat", true));
        _time.Advance(TimeSpan.FromSeconds(3));
        state.OnProgress(Report("agent0", ok: 5));
        state.OnProgress(Report("agent1", ok: 7));
        state.OnContribution("agent0", "room-chat", "4:drain", [1]);
        _time.Advance(TimeSpan.FromSeconds(4));
        state.OnProgress(Report("agent0", ok: 9));
        Assert.Empty(state.CheckSilence(TimeSpan.FromSeconds(5)));

        _time.Advance(TimeSpan.FromSeconds(1.5));
        var actions = state.CheckSilence(TimeSpan.FromSeconds(5));
        var lost = Assert.IsType<AgentLost>(actions[0]);
        Assert.Equal("agent1", lost.Agent.Name);
        Assert.Equal(3.0, lost.Agent.LostAtSeconds);
        Assert.Contains("no report for 5.5 s", lost.Agent.LostReason);
        Assert.Equal(["agent0"], Assert.Single(actions.OfType<DeliverGather>()).To.Select(a => a.Name));
        Assert.False(state.AllFinished);
        state.OnResult("agent0", new RunResult { Info = new TestInfo { TestName = "t", SessionId = "s", Started = _time.GetUtcNow(), Duration = TimeSpan.Zero }, Scenarios = [] });
        Assert.True(state.AllFinished);
    }

    [Fact]
    public void The_live_view_adds_the_agents_up_and_merges_their_last_second()
    {
        var state = NewState(2, "room-chat");
        state.OnProgress(Report("agent0", ok: 100, fail: 1, point: Point(1, 100, "messages delivered", 400)));
        state.OnProgress(Report("agent1", ok: 50, point: Point(1, 50, "messages delivered", 200)));

        var progress = Assert.Single(state.Progress());
        Assert.Equal(150, progress.Ok);
        Assert.Equal(1, progress.Fail);
        Assert.Equal(150, progress.LastSecond!.Ok);
        Assert.Equal(600, progress.Metrics["messages delivered"]);
        Assert.Equal(2, ((ILiveRun)state).Agents().Count);
    }

    [Fact]
    public void A_lost_agents_part_is_rebuilt_from_the_seconds_it_reported()
    {
        var state = NewState(1, "room-chat");
        state.OnProgress(Report("agent0", ok: 30, point: Point(1, 10, "messages delivered", 40), first: 0));
        state.OnProgress(Report("agent0", ok: 30, point: Point(2, 20, "messages delivered", 120), first: 1));
        _time.Advance(TimeSpan.FromSeconds(10));
        state.CheckSilence(TimeSpan.FromSeconds(5));

        var info = new TestInfo { TestName = "t", SessionId = "s", Started = _time.GetUtcNow(), Duration = TimeSpan.FromSeconds(10) };
        var result = PartialResult.From(state.Agents[0], info, ["room-chat"]);
        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(30, scenario.Iterations.OkCount);
        Assert.Equal(120, Assert.Single(scenario.Counters).Value);
        Assert.Equal(2, scenario.TimeSeries.Count);
        Assert.Contains(scenario.Notes, n => n.Contains("was lost at"));
    }

    [Fact]
    public void A_gather_frame_keeps_every_part_and_its_order()
    {
        var frame = GatherFrame.Encode([new byte[] { 1, 2 }, ReadOnlyMemory<byte>.Empty, new byte[] { 3 }]);
        var parts = GatherFrame.Decode(frame);
        Assert.Equal(3, parts.Count);
        Assert.Equal([1, 2], parts[0].ToArray());
        Assert.Equal(0, parts[1].Length);
        Assert.Equal([3], parts[2].ToArray());
        Assert.Throws<ClusterProtocolException>(() => GatherFrame.Decode(frame[..5]));
    }

    private static TimeSeriesPoint Point(double second, long ok, string counter, double value) =>
        new() { Second = second, Ok = ok, Rps = ok, Metrics = new Dictionary<string, double> { [counter] = value } };

    private static ProgressReport Report(string agent, long ok, long fail = 0, TimeSeriesPoint? point = null, int first = 0) => new()
    {
        Agent = agent,
        Scenarios =
        [
            new ScenarioReport
            {
                Progress = new ScenarioProgress { Name = "room-chat", Stage = ScenarioStage.Running, Ok = ok, Fail = fail },
                FirstPoint = first,
                Points = point is null ? [] : [point],
                Counters = ["messages delivered"],
            },
        ],
    };
}
