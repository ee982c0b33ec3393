using System.Globalization;
using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.LiveConsole;

/// <summary>The words and numbers both console views show for a scenario's progress.</summary>
internal static class ProgressText
{
    public static string Stage(ScenarioProgress p) => p.Stage switch
    {
        ScenarioStage.Running when p.SimulationNumber == 0 => "starting",
        ScenarioStage.Running => $"{p.SimulationNumber}/{p.SimulationCount} {p.Simulation}",
        ScenarioStage.WarmUp => p.Simulation,
        ScenarioStage.Init => "init",
        ScenarioStage.Draining => "finishing in-flight iterations",
        ScenarioStage.Clean => "clean",
        ScenarioStage.Done => "done",
        ScenarioStage.Failed => "init failed",
        _ => "waiting",
    };

    public static string Elapsed(ScenarioProgress p) => p.Stage switch
    {
        ScenarioStage.WarmUp => $"{p.SimulationElapsed.TotalSeconds:0}/{p.SimulationDuration.TotalSeconds:0}s",
        ScenarioStage.Running or ScenarioStage.Draining or ScenarioStage.Clean or ScenarioStage.Done =>
            $"{Math.Min(p.MeasuredElapsed.TotalSeconds, p.PlannedMeasuredDuration.TotalSeconds):0}/{p.PlannedMeasuredDuration.TotalSeconds:0}s",
        _ => "",
    };

    /// <summary>0..1 through the measured part (warm-up shows its own progress).</summary>
    public static double Fraction(ScenarioProgress p)
    {
        if (p.Stage == ScenarioStage.WarmUp)
            return p.SimulationDuration > TimeSpan.Zero ? Math.Clamp(p.SimulationElapsed / p.SimulationDuration, 0, 1) : 0;
        if (p.Stage >= ScenarioStage.Draining && p.Stage != ScenarioStage.Failed) return 1;
        return p.PlannedMeasuredDuration > TimeSpan.Zero ? Math.Clamp(p.MeasuredElapsed / p.PlannedMeasuredDuration, 0, 1) : 0;
    }

    public static string Ms(double ms) => ms >= 100 ? $"{ms:0} ms" : ms >= 10 ? $"{ms:0.0} ms" : $"{ms:0.00} ms";

    public static string Metrics(ScenarioProgress p) =>
        string.Join("  ", p.Metrics.Where(kv => !kv.Key.StartsWith("engine.", StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={kv.Value.ToString("0.##", CultureInfo.InvariantCulture)}"));

    /// <summary>The cluster's agents in one line: how many report, and each one's state.</summary>
    public static string AgentsLine(IReadOnlyList<AgentProgress> agents, TimeSpan runElapsed)
    {
        int reporting = agents.Count(a => !a.State.StartsWith("lost", StringComparison.Ordinal));
        return $"[{runElapsed.TotalSeconds,4:0}s] cluster: {reporting}/{agents.Count} agents reporting | " +
               string.Join(" | ", agents.Select(a => $"{a.Name} {a.State} ok {a.Ok:N0}" + (a.Fail > 0 ? $" fail {a.Fail:N0}" : "")));
    }

    /// <summary>One compact line for logs and CI (well under 200 characters): stage, progress, last second's rate and
    /// latency, totals. The custom metrics stay in the reports: printed every few seconds they would bury the log.</summary>
    public static string Line(ScenarioProgress p, TimeSpan runElapsed)
    {
        var last = p.LastSecond;
        var line = $"[{runElapsed.TotalSeconds,4:0}s] {p.Name}: {Stage(p)} {Elapsed(p)}";
        if (p.Stage is ScenarioStage.Running or ScenarioStage.Draining)
        {
            // Before the first whole second there is no per-second figure yet: say so rather than print zeros.
            line += last is null ? " | first second not yet sampled" : $" | {last.Rps:0}/s p99 {Ms(last.P99Ms)}";
            line += $" | ok {p.Ok:N0} fail {p.Fail:N0}";
            if (p.Late > 0 || p.Dropped > 0) line += $" late {p.Late:N0} dropped {p.Dropped:N0}";
        }
        return line;
    }
}
