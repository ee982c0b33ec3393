using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Cluster.Coordinator;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Config;

namespace ChatLoad.LoadEngine.Tests.Cluster;

/// <summary>Who may take part in a run, and how a cluster run is asked for on the command line.</summary>
public class ClusterProtocolTests
{
    private static AgentHello Hello(string name, int protocol = ClusterProtocol.Version, string? engine = null, string group = "", string? busy = null) => new()
    {
        Name = name,
        Group = group,
        Protocol = protocol,
        EngineVersion = engine ?? ClusterProtocol.EngineVersion,
        Capacity = new AgentCapacityReport(2, 20_000, 19_744, []),
        TimestampFrequency = TimeProvider.System.TimestampFrequency,
        BusyWith = busy,
    };

    [Fact]
    public void An_agent_of_another_protocol_or_build_is_refused_with_both_versions_named()
    {
        var protocol = AgentRollCall.Refusal(Hello("old", protocol: ClusterProtocol.Version + 1), TimeProvider.System.TimestampFrequency);
        Assert.Contains($"agent old speaks cluster protocol {ClusterProtocol.Version + 1}, this build speaks {ClusterProtocol.Version}", protocol);

        var engine = AgentRollCall.Refusal(Hello("other", engine: "0.9.0+abc"), TimeProvider.System.TimestampFrequency);
        Assert.Contains("runs engine 0.9.0+abc", engine);
        Assert.Contains(ClusterProtocol.EngineVersion, engine);

        Assert.Null(AgentRollCall.Refusal(Hello("fine"), TimeProvider.System.TimestampFrequency));
        Assert.Contains("ticks", AgentRollCall.Refusal(Hello("fine"), 10_000_000));
    }

    [Fact]
    public void The_roll_call_picks_by_name_and_takes_one_of_each_pinned_group_first()
    {
        var agents = new[] { Hello("a"), Hello("b"), Hello("z", group: "senders") };
        Assert.Equal(["a", "b"], AgentRollCall.Choose(agents, 2, [])!.Select(h => h.Name));
        Assert.Equal(["a", "z"], AgentRollCall.Choose(agents, 2, ["senders"])!.Select(h => h.Name));
        Assert.Null(AgentRollCall.Choose(agents, 4, []));
        Assert.Null(AgentRollCall.Choose(agents, 2, ["receivers"]));
    }

    [Fact]
    public void A_load_simulation_crosses_the_wire_unchanged()
    {
        LoadSimulation[] all =
        [
            Simulation.Inject(7, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)),
            Simulation.RampingInject(9, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
            Simulation.KeepConstant(5, TimeSpan.FromSeconds(4)),
            Simulation.RampingConstant(0, TimeSpan.FromSeconds(2)),
            Simulation.IterationsForConstant(3, 100, TimeSpan.FromSeconds(8)),
            Simulation.Pause(TimeSpan.FromMilliseconds(500)),
        ];
        foreach (var simulation in all)
        {
            var wire = ClusterJson.Read<SimulationSpec>(ClusterJson.Bytes(SimulationSpec.From(simulation)));
            Assert.Equal(simulation, wire.ToSimulation());
        }
    }

    [Fact]
    public void Cluster_options_need_each_other_on_the_command_line()
    {
        Assert.Contains("--cluster needs --agents", Assert.Throws<UsageException>(() => CommandLineParser.Parse(["--scenario", "x", "--cluster", "nats://127.0.0.1:4222"])).Message);
        Assert.Contains("--agents only applies to a cluster run", Assert.Throws<UsageException>(() => CommandLineParser.Parse(["--scenario", "x", "--agents", "3"])).Message);
        Assert.Contains("nats://HOST:PORT", Assert.Throws<UsageException>(() => CommandLineParser.Parse(["--scenario", "x", "--cluster", "127.0.0.1:4222", "--agents", "1"])).Message);

        var cli = CommandLineParser.Parse(["--scenario", "x", "--cluster", "nats://10.0.0.5:4222", "--agents", "3", "--agent-timeout", "3s", "--on-agent-loss", "stop", "--iterations-on", "senders"]);
        Assert.Equal("nats://10.0.0.5:4222", cli.Cluster);
        Assert.Equal(3, cli.Agents);
        var options = ClusterPlan.Options(cli, new LoadTestConfig())!;
        Assert.Equal(TimeSpan.FromSeconds(3), options.AgentTimeout);
        Assert.Equal(ChatLoad.LoadEngine.Cluster.AgentLossPolicy.Stop, options.OnAgentLoss);
    }

    [Fact]
    public void The_agent_command_takes_its_server_name_group_and_source_addresses()
    {
        var cli = CommandLineParser.Parse(["agent", "--nats", "nats://127.0.0.1:4222", "--name", "gen-1", "--group", "senders", "--source-ip", "127.0.0.2,127.0.0.3"]);
        Assert.Equal(CommandKind.Agent, cli.Command);
        Assert.Equal("gen-1", cli.AgentName);
        Assert.Equal(["127.0.0.2", "127.0.0.3"], cli.AgentSourceAddresses);
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(["agent", "--nats", "nats://127.0.0.1:4222", "--name", "has space"]));
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(["agent", "--nats", "nats://127.0.0.1:4222", "--source-ip", "not-an-ip"]));
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(["agent"]));
    }

    [Fact]
    public void The_config_files_cluster_section_is_read_and_checked()
    {
        var config = ConfigFileReader.Read("""{"cluster": {"nats": "nats://127.0.0.1:4222", "agents": 2, "onAgentLoss": "stop"}, "metricsPort": 9300}""", "c.json");
        var options = ClusterPlan.Options(new CommandLineOptions(), config)!;
        Assert.Equal(2, options.Agents);
        Assert.Equal(9300, config.MetricsPort);
        Assert.Contains("$.cluster.onAgentLoss", Assert.Throws<UsageException>(() => ConfigFileReader.Read("""{"cluster": {"nats": "nats://h:1", "onAgentLoss": "later"}}""", "c.json")).Message);
        Assert.Contains("needs the number of agents", Assert.Throws<UsageException>(() => ClusterPlan.Options(new CommandLineOptions(),
            ConfigFileReader.Read("""{"cluster": {"nats": "nats://h:1"}}""", "c.json"))).Message);
    }
}
