using BenchmarkDotNet.Attributes;
using ChatLoad.LoadEngine.SelfTest;

namespace ChatLoad.LoadEngine.Benchmarks;

/// <summary>Whole-engine throughput: the noop scenario, closed model, one copy per core, a fixed iteration count.
/// The reported time is per iteration (OperationsPerInvoke); iterations/s = 1e9 / ns.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ThroughputBenchmarks
{
    private const int Iterations = 1_000_000;

    [Params(2, 16)]
    public int Copies { get; set; }

    [Benchmark(OperationsPerInvoke = Iterations)]
    public async Task<long> NoopClosedModel()
    {
        var scenario = EngineSelfTestScenarios.Noop(new()).WithLoadSimulations(Simulation.IterationsForConstant(Copies, Iterations));
        var result = await new LoadRunner(new EngineOptions { MonitorGenerator = false })
            .RunAsync(new LoadRunRequest { Scenarios = [scenario] });
        return result.Scenarios[0].Iterations.Count;
    }
}
