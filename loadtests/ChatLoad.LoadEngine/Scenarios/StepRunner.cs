namespace ChatLoad.LoadEngine;

/// <summary>Times a named step and records it in the scenario's stats (see <see cref="Step.Run"/>).</summary>
internal static class StepRunner
{
    public static async ValueTask<Response> Run(string name, ScenarioContext context, Func<ValueTask<Response>> run)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var stats = context.Stats;
        long started = context.Time.GetTimestamp();
        Response response;
        try
        {
            response = await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.ScenarioCancellationToken.IsCancellationRequested)
        {
            // The run is stopping: an iteration cut short by shutdown is neither ok nor a failure of the target.
            throw;
        }
        catch (Exception ex)
        {
            if (!context.IsWarmUp)
                stats?.RecordStep(name, Response.Fail("exception", $"{ex.GetType().Name}: {ex.Message}"), context.Time.GetTimestamp() - started);
            throw;
        }
        if (!context.IsWarmUp) stats?.RecordStep(name, response, context.Time.GetTimestamp() - started);
        return response;
    }
}
