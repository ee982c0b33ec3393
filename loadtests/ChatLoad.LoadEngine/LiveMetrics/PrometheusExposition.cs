using System.Globalization;
using System.Text;
using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.LiveMetrics;

/// <summary>
/// A run's live figures in the Prometheus text format (version 0.0.4), so one dashboard can show the load generator
/// beside the server's own endpoint. Per scenario: iterations so far by result, late and dropped iterations, in-flight
/// ones, the last second's rate and latency (p50, p99, max), the measured time, and every custom counter and gauge as
/// <c>chatload_generator_metric{name=…}</c>; the generator's CPU and timer lag; for a cluster, each agent's state.
/// Figures of a cluster run are the whole cluster's (the last second merged exactly, as the report merges).
/// </summary>
internal static class PrometheusExposition
{
    public static string Write(ILiveRun run, string mode)
    {
        var text = new StringBuilder();
        var progress = run.Progress();
        Family(text, "chatload_generator_info", "gauge", "1; labels say whether this is one process or a cluster's coordinator",
            [($"mode=\"{mode}\"", 1)]);
        Family(text, "chatload_generator_iterations_total", "counter", "iterations measured so far, by result",
            progress.SelectMany(p => new[] { (Labels(p.Name, ("result", "ok")), (double)p.Ok), (Labels(p.Name, ("result", "fail")), (double)p.Fail) }));
        Family(text, "chatload_generator_late_iterations_total", "counter", "open model: iterations that started late", progress.Select(p => (Labels(p.Name), (double)p.Late)));
        Family(text, "chatload_generator_dropped_iterations_total", "counter", "open model: iterations never started (too many in flight)", progress.Select(p => (Labels(p.Name), (double)p.Dropped)));
        Family(text, "chatload_generator_in_flight", "gauge", "iterations running now", progress.Select(p => (Labels(p.Name), (double)p.InFlight)));
        Family(text, "chatload_generator_rps", "gauge", "iterations per second in the last whole second", progress.Where(p => p.LastSecond is not null).Select(p => (Labels(p.Name), p.LastSecond!.Rps)));
        Family(text, "chatload_generator_latency_ms", "gauge", "iteration latency in the last whole second, ms (quantile 1 = max)",
            progress.Where(p => p.LastSecond is not null).SelectMany(p => new[]
            {
                (Labels(p.Name, ("quantile", "0.5")), p.LastSecond!.P50Ms),
                (Labels(p.Name, ("quantile", "0.99")), p.LastSecond!.P99Ms),
                (Labels(p.Name, ("quantile", "1")), p.LastSecond!.MaxMs),
            }));
        Family(text, "chatload_generator_measured_seconds", "gauge", "measured time so far", progress.Select(p => (Labels(p.Name), p.MeasuredElapsed.TotalSeconds)));
        Family(text, "chatload_generator_stage", "gauge", "1 for the stage each scenario is in",
            progress.Select(p => (Labels(p.Name, ("stage", p.Stage.ToString().ToLowerInvariant())), 1.0)));
        Family(text, "chatload_generator_metric", "gauge", "the scenarios' custom counters (cumulative) and gauges, as of the last whole second",
            progress.SelectMany(p => p.Metrics.Where(m => !m.Key.StartsWith("engine.", StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => (Labels(p.Name, ("name", m.Key)), m.Value))));
        if (run.LastGeneratorSample() is { } sample)
        {
            Family(text, "chatload_generator_cpu_percent", "gauge", "the generator process's CPU, % of all cores (a cluster: its busiest agent)", [("", sample.CpuPercent)]);
            Family(text, "chatload_generator_scheduler_lag_ms", "gauge", "how late the generator's sampling timer fired", [("", sample.SchedulerLagMs)]);
        }
        var agents = run.Agents();
        if (agents.Count > 0)
        {
            Family(text, "chatload_cluster_agents", "gauge", "agents of the run by state",
                agents.GroupBy(a => a.State.StartsWith("lost", StringComparison.Ordinal) ? "lost" : a.State == "done" ? "done" : "reporting")
                    .Select(g => ($"state=\"{g.Key}\"", (double)g.Count())));
            Family(text, "chatload_cluster_agent_up", "gauge", "1 while the agent reports (or has finished), 0 once lost",
                agents.Select(a => ($"agent=\"{Escape(a.Name)}\"", a.State.StartsWith("lost", StringComparison.Ordinal) ? 0.0 : 1.0)));
            Family(text, "chatload_cluster_agent_last_report_seconds", "gauge", "seconds since the agent's last report",
                agents.Select(a => ($"agent=\"{Escape(a.Name)}\"", a.SecondsSinceReport)));
            Family(text, "chatload_cluster_agent_iterations_total", "counter", "each agent's iterations so far, by result",
                agents.SelectMany(a => new[] { ($"agent=\"{Escape(a.Name)}\",result=\"ok\"", (double)a.Ok), ($"agent=\"{Escape(a.Name)}\",result=\"fail\"", (double)a.Fail) }));
            Family(text, "chatload_cluster_agent_clients", "gauge", "clients the agent was given", agents.Select(a => ($"agent=\"{Escape(a.Name)}\"", (double)a.Clients)));
        }
        return text.ToString();
    }

    private static string Labels(string scenario, params (string Key, string Value)[] more) =>
        string.Join(",", new[] { ("scenario", scenario) }.Concat(more).Select(l => $"{l.Item1}=\"{Escape(l.Item2)}\""));

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            text.Append(name);
            if (labels.Length > 0) text.Append('{').Append(labels).Append('}');
            text.Append(' ').Append(Number(value)).Append('\n');
        }
    }

    /// <summary>Label values escape backslash, double quote and newline (the format's rule).</summary>
    internal static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
