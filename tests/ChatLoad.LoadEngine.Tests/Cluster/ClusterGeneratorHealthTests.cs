using ChatLoad.LoadEngine.Cluster.Coordinator;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Tests.Cluster;

/// <summary>The cluster's generator CPU is each machine's, however many agents it ran: agents sharing a machine add
/// up, machines of their own do not average each other away.</summary>
public class ClusterGeneratorHealthTests
{
    private static AgentGenerator Agent(string name, string machine, params double[] cpuEachSecond) => new(name, machine, 2, new GeneratorHealth
    {
        CpuPercentMean = cpuEachSecond.Average(),
        CpuPercentMax = cpuEachSecond.Max(),
        SchedulerLagP99Ms = cpuEachSecond.Length,
        Samples = cpuEachSecond.Select((cpu, i) => new GeneratorSample(i + 1, cpu, 1, 0, 4)).ToList(),
    });

    [Fact]
    public void Three_agents_on_one_machine_add_up_to_its_load_and_warn_together()
    {
        var agents = new[] { Agent("a", "boot-1", 30, 30, 30, 30), Agent("b", "boot-1", 30, 32, 30, 30), Agent("c", "boot-1", 30, 30, 30, 30) };

        var health = ClusterGeneratorHealth.Combine(agents, ["shard 1: earlier warning"]);

        Assert.Equal([90, 92, 90, 90], health.Samples.Select(s => s.CpuPercent));
        Assert.Equal(90.5, health.CpuPercentMean);
        Assert.Equal(92, health.CpuPercentMax);
        Assert.Equal(2, ClusterGeneratorHealth.Cores(agents));
        Assert.Equal("shard 1: earlier warning", health.Warnings[0]);
        Assert.Contains(health.Warnings, w => w.StartsWith("Agents a, b, c share one machine and together used 90% or more of its 2 cores for 4 s", StringComparison.Ordinal));
    }

    [Fact]
    public void Agents_on_machines_of_their_own_keep_the_busiest_machine_not_the_average()
    {
        var agents = new[] { Agent("a", "boot-1", 40, 40), Agent("b", "boot-2", 60, 80, 70) };

        var health = ClusterGeneratorHealth.Combine(agents, []);

        Assert.Equal([60, 80, 70], health.Samples.Select(s => s.CpuPercent));
        Assert.Equal(80, health.CpuPercentMax);
        Assert.Equal(3, health.SchedulerLagP99Ms);
        Assert.Equal(4, ClusterGeneratorHealth.Cores(agents));
        Assert.Empty(health.Warnings);
    }
}
