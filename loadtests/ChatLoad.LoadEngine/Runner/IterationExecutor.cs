using ChatLoad.LoadEngine.Stats;

namespace ChatLoad.LoadEngine.Runner;

/// <summary>Runs one iteration of a scenario and records its result; counts iterations in flight.</summary>
internal sealed class IterationExecutor
{
    private readonly Func<ScenarioContext, ValueTask<Response>> _run;
    private readonly ScenarioStatsCollector _stats;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopIterations;
    private long _invocations, _inFlight;

    public IterationExecutor(ScenarioProps scenario, ScenarioStatsCollector stats, TimeProvider time, CancellationToken stopIterations)
    {
        _run = scenario.Run;
        _stats = stats;
        _time = time;
        _stopIterations = stopIterations;
    }

    public long InFlight => Volatile.Read(ref _inFlight);
    public long Invocations => Volatile.Read(ref _invocations);

    /// <summary>Runs the iteration; latency counts from <paramref name="latencyStart"/> (the scheduled start in the
    /// open model). Allocation-free when the scenario completes synchronously.</summary>
    public async ValueTask RunAsync(ScenarioContext context, long latencyStart)
    {
        context.InvocationNumber = Interlocked.Increment(ref _invocations);
        context.ScheduledTimestamp = latencyStart;
        Interlocked.Increment(ref _inFlight);
        try
        {
            Response response;
            try
            {
                response = await _run(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopIterations.IsCancellationRequested)
            {
                return; // cut short by the end of the run: not a result of the target
            }
            catch (Exception ex)
            {
                response = Response.Fail("exception", $"{ex.GetType().Name}: {ex.Message}");
            }
            if (!context.IsWarmUp) _stats.RecordIteration(response, _time.GetTimestamp() - latencyStart);
        }
        finally
        {
            context.EndIteration();
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
