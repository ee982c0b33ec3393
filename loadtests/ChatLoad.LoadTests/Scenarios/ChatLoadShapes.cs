using ChatLoad.LoadEngine;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>Load simulations and thresholds the chat scenarios share.</summary>
internal static class ChatLoadShapes
{
    /// <summary>The thresholds that make loss and disorder results: every expected message arrived, once, in order.</summary>
    public static Threshold[] NoLossNoDisorder() =>
    [
        Threshold.Create($"counter:{ChatMetricNames.Lost} == 0"),
        Threshold.Create($"counter:{ChatMetricNames.OutOfOrder} == 0"),
        Threshold.Create($"counter:{ChatMetricNames.Duplicates} == 0"),
    ];

    /// <summary>Open model at <paramref name="perSecond"/> iterations a second, fractional rates included
    /// (0.5/s becomes one iteration every 2 s).</summary>
    public static LoadSimulation InjectPerSecond(double perSecond, TimeSpan during)
    {
        if (!(perSecond > 0) || !double.IsFinite(perSecond))
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "--rate must be a positive number");
        if (perSecond >= 1 && perSecond == Math.Floor(perSecond) && perSecond <= int.MaxValue)
            return Simulation.Inject((int)perSecond, TimeSpan.FromSeconds(1), during);
        if (perSecond >= 1)
        {
            // e.g. 2.5/s becomes 25 per 10 s: the integer-per-interval shape the engine takes, to 0.1/s precision.
            int per10 = (int)Math.Round(perSecond * 10);
            return Simulation.Inject(per10, TimeSpan.FromSeconds(10), during);
        }
        return Simulation.Inject(1, TimeSpan.FromSeconds(1 / perSecond), during);
    }

    public static TimeSpan Positive(TimeSpan? value, TimeSpan defaultValue, string option)
    {
        var v = value ?? defaultValue;
        if (v <= TimeSpan.Zero)
            throw new ArgumentException($"{option} must be positive, got {v.TotalSeconds:0.###}s");
        return v;
    }

    public static int AtLeast(int? value, int defaultValue, int min, string option)
    {
        int v = value ?? defaultValue;
        if (v < min)
            throw new ArgumentException($"{option} must be at least {min}, got {v}");
        return v;
    }
}
