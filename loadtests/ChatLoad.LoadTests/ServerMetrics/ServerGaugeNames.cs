namespace ChatLoad.LoadTests.ServerMetrics;

/// <summary>The scenario gauges the scraper sets, as reports and the comparison show them.</summary>
internal static class ServerGaugeNames
{
    public const string Threads = "server threads";
    public const string RssMb = "server rss MB";
    public const string CpuPercent = "server cpu %";
    public const string GcHeapMb = "server gc heap MB";
    public const string ThreadPoolQueue = "server threadpool queue";
    public const string ThreadPoolThreads = "server threadpool threads";
    public const string Connections = "server connections";
    public const string RegisteredClients = "server registered clients";
    public const string SlowConsumerDisconnects = "server slow consumer disconnects";
    public const string RssKbPerClient = "server rss KB per client";
    public const string ThreadsPerClient = "server threads per client";
    public const string ScrapeFailures = "server scrape failures";
}
