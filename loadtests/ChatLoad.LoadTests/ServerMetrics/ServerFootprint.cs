using ChatLoad.LoadEngine;

namespace ChatLoad.LoadTests.ServerMetrics;

/// <summary>
/// What each connected client costs the server: the growth of its RSS and OS thread count between a scrape before
/// any client connected (the baseline) and one with all clients held, divided by the clients held. Growth rather
/// than the raw total, so the runtime's fixed start-up cost is not smeared over the clients.
/// </summary>
internal static class ServerFootprint
{
    /// <summary>Sets "server rss KB per client" and "server threads per client"; returns a line for the report's notes.</summary>
    public static string? Record(ScenarioMetrics metrics, ServerSnapshot? baseline, ServerSnapshot? loaded, int clients)
    {
        if (baseline is null || loaded is null || clients <= 0)
            return null;
        var parts = new List<string>();
        if (baseline.RssBytes is double rss0 && loaded.RssBytes is double rss1)
        {
            double kbPerClient = (rss1 - rss0) / 1024.0 / clients;
            metrics.Gauge(ServerGaugeNames.RssKbPerClient, "KB").Set(kbPerClient);
            parts.Add($"RSS {rss0 / 1048576:0.0} MB -> {rss1 / 1048576:0.0} MB ({kbPerClient:0.0} KB per client)");
        }
        if (baseline.OsThreads is double t0 && loaded.OsThreads is double t1)
        {
            double perClient = (t1 - t0) / clients;
            metrics.Gauge(ServerGaugeNames.ThreadsPerClient, "threads").Set(perClient);
            parts.Add($"OS threads {t0:0} -> {t1:0} ({perClient:0.000} per client)");
        }
        return parts.Count == 0 ? null : $"server with {clients} clients held: " + string.Join(", ", parts);
    }
}
