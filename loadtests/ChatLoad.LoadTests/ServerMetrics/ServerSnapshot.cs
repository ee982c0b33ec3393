namespace ChatLoad.LoadTests.ServerMetrics;

/// <summary>The server figures one scrape found; null where the endpoint did not export that figure.</summary>
internal sealed record ServerSnapshot
{
    /// <summary>When the scrape completed, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
    public long Timestamp { get; init; }
    public double? OsThreads { get; init; }
    public double? RssBytes { get; init; }
    public double? CpuSecondsTotal { get; init; }
    /// <summary>The server's uptime at the scrape, by its own clock (null when it does not export one).</summary>
    public double? UptimeSeconds { get; init; }
    public double? GcHeapBytes { get; init; }
    public double? ThreadPoolQueue { get; init; }
    public double? ThreadPoolThreads { get; init; }
    public double? ConnectionsOpen { get; init; }
    public double? ClientsRegistered { get; init; }
    public double? SlowConsumerDisconnects { get; init; }
    public double? ConnectionsRefused { get; init; }

    /// <summary>Reads the figures out of a parsed scrape by <see cref="ServerMetricNames"/>.</summary>
    public static ServerSnapshot From(IReadOnlyList<PrometheusSample> samples, long timestamp)
    {
        // Sum every series of a name (e.g. GC heap size is exported per generation); first candidate name present wins.
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            if (double.IsNaN(s.Value))
                continue;
            sums[s.Name] = sums.GetValueOrDefault(s.Name) + s.Value;
        }

        double? Find(IReadOnlyList<string> candidates)
        {
            foreach (var name in candidates)
                if (sums.TryGetValue(name, out double v))
                    return v;
            return null;
        }

        return new ServerSnapshot
        {
            Timestamp = timestamp,
            OsThreads = Find(ServerMetricNames.OsThreads),
            RssBytes = Find(ServerMetricNames.RssBytes),
            CpuSecondsTotal = Find(ServerMetricNames.CpuSecondsTotal),
            UptimeSeconds = Find(ServerMetricNames.UptimeSeconds),
            GcHeapBytes = Find(ServerMetricNames.GcHeapBytes),
            ThreadPoolQueue = Find(ServerMetricNames.ThreadPoolQueue),
            ThreadPoolThreads = Find(ServerMetricNames.ThreadPoolThreads),
            ConnectionsOpen = Find(ServerMetricNames.ConnectionsOpen),
            ClientsRegistered = Find(ServerMetricNames.ClientsRegistered),
            SlowConsumerDisconnects = Find(ServerMetricNames.SlowConsumerDisconnects),
            ConnectionsRefused = Find(ServerMetricNames.ConnectionsRefused),
        };
    }

    /// <summary>Server CPU use between two scrapes as % of one core (200% = both cores of this machine busy).</summary>
    public static double? CpuPercent(ServerSnapshot earlier, ServerSnapshot later, long timestampFrequency)
    {
        if (earlier.CpuSecondsTotal is not double before || later.CpuSecondsTotal is not double after)
            return null;
        // The server's own uptime when it exports one (both figures read at the same moment, so a slow answer does
        // not stretch or squeeze the interval); else the scraper's clock between the two answers.
        double wall = earlier.UptimeSeconds is double u0 && later.UptimeSeconds is double u1 && u1 > u0
            ? u1 - u0
            : (later.Timestamp - earlier.Timestamp) / (double)timestampFrequency;
        return wall <= 0 ? null : Math.Max(0, after - before) / wall * 100.0;
    }
}
