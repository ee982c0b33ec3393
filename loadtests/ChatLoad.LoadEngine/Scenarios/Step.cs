namespace ChatLoad.LoadEngine;

/// <summary>Named steps inside an iteration, each with stats of its own (NBomber's <c>Step.Run</c>).</summary>
public static class Step
{
    /// <summary>Runs <paramref name="run"/>, times it, and records its result under <paramref name="name"/> for the
    /// context's scenario. An exception is recorded as a failure with status "exception" and rethrown.</summary>
    public static ValueTask<Response> Run(string name, ScenarioContext context, Func<ValueTask<Response>> run) =>
        StepRunner.Run(name, context, run);
}
