using ChatLoad.LoadEngine.Health;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Cluster.Coordinator;

/// <summary>One agent's generator health, and the machine it ran on (its boot id: one per running kernel).</summary>
internal sealed record AgentGenerator(string Agent, string Machine, int Cores, GeneratorHealth Health);

/// <summary>
/// The cluster's generator health from its agents'. Each agent measures its own process's CPU as a share of its
/// machine's cores, so agents sharing a machine add up to what that machine spent on load, and the busiest machine is
/// the one that may have held the run back: each second's CPU is the highest of the machines' sums (an average over
/// agents would read three agents at 35% of one machine as 35%, not 105%). Scheduler lag and thread-pool figures are
/// each agent's own; the worst is kept. The agents' own warnings stay as the merge labelled them; a machine whose
/// agents together, but none alone, passed the CPU limit gets a warning of its own.
/// </summary>
internal static class ClusterGeneratorHealth
{
    public static GeneratorHealth Combine(IReadOnlyList<AgentGenerator> agents, IReadOnlyList<string> agentWarnings, GeneratorHealthOptions? options = null)
    {
        options ??= new GeneratorHealthOptions();
        // Per agent, one reading per whole second (the later one when two samples round to the same second).
        var perAgent = agents.Select(a => (a.Machine, BySecond: a.Health.Samples
            .GroupBy(s => Math.Round(s.Second)).ToDictionary(g => g.Key, g => g.Last()))).ToList();
        var seconds = perAgent.SelectMany(a => a.BySecond.Keys).Distinct().Order().ToList();
        var samples = new List<GeneratorSample>();
        var machineCpu = agents.Select(a => a.Machine).Distinct().ToDictionary(m => m, _ => new List<double>());
        foreach (double second in seconds)
        {
            var at = perAgent.Where(a => a.BySecond.ContainsKey(second)).Select(a => (a.Machine, Sample: a.BySecond[second])).ToList();
            foreach (var machine in machineCpu.Keys)
                machineCpu[machine].Add(at.Where(x => x.Machine == machine).Sum(x => x.Sample.CpuPercent));
            samples.Add(new GeneratorSample(second, Math.Round(machineCpu.Values.Max(cpu => cpu[^1]), 1),
                at.Max(x => x.Sample.SchedulerLagMs), at.Max(x => x.Sample.ThreadPoolQueue), at.Max(x => x.Sample.ThreadPoolThreads)));
        }

        var warnings = agentWarnings.ToList();
        foreach (var machine in agents.GroupBy(a => a.Machine).Where(m => m.Count() > 1))
        {
            // One agent over the limit has warned itself; this is the case no agent sees alone.
            if (machine.Any(a => a.Health.Samples.Any(s => s.CpuPercent >= options.CpuPercentLimit))) continue;
            var cpu = machineCpu[machine.Key];
            int longest = 0, run = 0;
            foreach (double second in cpu)
            {
                run = second >= options.CpuPercentLimit ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
            if (longest >= options.CpuSecondsLimit)
                warnings.Add($"Agents {string.Join(", ", machine.Select(a => a.Agent))} share one machine and together used {options.CpuPercentLimit:0}% or more " +
                             $"of its {machine.First().Cores} cores for {longest} s in a row (peak {cpu.Max():0}%): the load generator, not the target, may be the bottleneck.");
        }

        var healths = agents.Select(a => a.Health).ToList();
        return new GeneratorHealth
        {
            CpuPercentMean = samples.Count == 0 ? 0 : Math.Round(samples.Average(s => s.CpuPercent), 1),
            CpuPercentMax = samples.Count == 0 ? 0 : samples.Max(s => s.CpuPercent),
            SchedulerLagP99Ms = healths.Count == 0 ? 0 : healths.Max(h => h.SchedulerLagP99Ms),
            SchedulerLagMaxMs = healths.Count == 0 ? 0 : healths.Max(h => h.SchedulerLagMaxMs),
            ThreadPoolQueueMax = healths.Count == 0 ? 0 : healths.Max(h => h.ThreadPoolQueueMax),
            ThreadPoolThreadsMax = healths.Count == 0 ? 0 : healths.Max(h => h.ThreadPoolThreadsMax),
            Warnings = warnings,
            Samples = samples,
        };
    }

    /// <summary>The cores the cluster's generators had: each machine's once, however many agents it ran.</summary>
    public static int Cores(IReadOnlyList<AgentGenerator> agents) => agents.GroupBy(a => a.Machine).Sum(m => m.First().Cores);
}
