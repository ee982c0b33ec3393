using System.Globalization;
using ChatLoad.LoadEngine;

namespace ChatLoad.LoadEngine.SelfTest;

/// <summary>
/// Scenarios that measure the engine, not a target: <c>engine-noop</c> (an iteration that does nothing, for raw
/// throughput), <c>engine-delay</c> (a fixed delay, for inject accuracy and concurrency) and <c>engine-steps</c>
/// (two named steps). Load shape from the settings: <c>--rate R</c> gives inject R/s, otherwise
/// <c>--clients N</c> copies (default: one per core); <c>--duration</c> (default 10 s); <c>--set delayMs=1</c>.
/// </summary>
internal static class EngineSelfTestScenarios
{
    public static IReadOnlyList<ScenarioFactory> All { get; } =
    [
        new("engine-noop", "engine self-test: an iteration that does nothing (generator throughput)", Noop),
        new("engine-delay", "engine self-test: an iteration that waits delayMs (default 1) (inject accuracy, concurrency)", Delay),
        new("engine-steps", "engine self-test: two named steps per iteration (step stats)", Steps),
    ];

    public static ScenarioProps Noop(ScenarioSettings settings) =>
        Shape(Scenario.Create("engine-noop", static _ => ValueTask.FromResult(Response.Ok())), settings);

    public static ScenarioProps Delay(ScenarioSettings settings)
    {
        var delay = TimeSpan.FromMilliseconds(Number(settings, "delayMs", 1));
        return Shape(Scenario.Create("engine-delay", async context =>
        {
            await Task.Delay(delay, context.Time, context.ScenarioCancellationToken);
            return Response.Ok(sizeBytes: 1);
        }), settings);
    }

    public static ScenarioProps Steps(ScenarioSettings settings) =>
        Shape(Scenario.Create("engine-steps", async context =>
        {
            var first = await Step.Run("first", context, static () => ValueTask.FromResult(Response.Ok(sizeBytes: 10, bytesSent: 5)));
            var second = await Step.Run("second", context, static () => ValueTask.FromResult(Response.Ok(sizeBytes: 20, bytesSent: 5)));
            context.Metrics.Counter("steps run").Add(2);
            return Response.Ok(sizeBytes: first.SizeBytes + second.SizeBytes, bytesSent: first.BytesSent + second.BytesSent);
        }), settings);

    private static ScenarioProps Shape(ScenarioProps scenario, ScenarioSettings settings)
    {
        var duration = settings.Duration ?? TimeSpan.FromSeconds(10);
        var simulation = settings.Rate is { } rate
            ? Simulation.Inject(checked((int)Math.Round(rate)), TimeSpan.FromSeconds(1), duration)
            : Simulation.KeepConstant(settings.Clients ?? Environment.ProcessorCount, duration);
        return scenario.WithLoadSimulations(simulation).WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithCustomSettings(settings.Custom);
    }

    private static double Number(ScenarioSettings settings, string key, double fallback)
    {
        if (!settings.Custom.TryGetValue(key, out var text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"setting {key}='{text}' is not a non-negative number");
    }
}
