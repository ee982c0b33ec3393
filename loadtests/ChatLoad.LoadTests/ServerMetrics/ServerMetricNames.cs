namespace ChatLoad.LoadTests.ServerMetrics;

/// <summary>
/// Which Prometheus series carry each server figure. The server exports its <c>ChatLoad.Server</c> meter and the
/// process figures through prometheus-net (names documented in server/ChatLoad.Server/Metrics/). Each figure lists
/// the name the server uses first, then the names prometheus-net's own collectors and the .NET runtime meter use,
/// so the scraper still reads a server whose exporter setup changes.
/// </summary>
internal static class ServerMetricNames
{
    public static readonly IReadOnlyList<string> OsThreads = ["chatload_server_process_os_threads", "process_num_threads"];

    /// <summary>The server's own /proc VmRSS figure first; prometheus-net's working set is the same RSS on Linux.</summary>
    public static readonly IReadOnlyList<string> RssBytes = ["chatload_server_process_rss_bytes", "process_working_set_bytes", "process_resident_memory_bytes"];

    /// <summary>The server's own CPU seconds first (read in the same callback as its uptime below).</summary>
    public static readonly IReadOnlyList<string> CpuSecondsTotal = ["chatload_server_process_cpu_seconds", "process_cpu_seconds_total", "dotnet_process_cpu_time_seconds_total"];

    /// <summary>The server's uptime as it reads it in the same scrape as its CPU seconds: CPU % is then timed by the server.</summary>
    public static readonly IReadOnlyList<string> UptimeSeconds = ["chatload_server_process_uptime_seconds"];

    /// <summary>Managed bytes in use now (GC.GetTotalMemory) first: the heap size "after the last collection" reads 0
    /// until a collection has happened, which in a short run it often has not.</summary>
    public static readonly IReadOnlyList<string> GcHeapBytes =
        ["chatload_server_process_gc_total_memory_bytes", "dotnet_total_memory_bytes", "chatload_server_process_gc_heap_bytes", "dotnet_gc_last_collection_heap_size_bytes"];

    public static readonly IReadOnlyList<string> ThreadPoolQueue =
        ["chatload_server_process_threadpool_queue_length", "dotnet_thread_pool_queue_length", "system_runtime_threadpool_queue_length"];

    public static readonly IReadOnlyList<string> ThreadPoolThreads =
        ["chatload_server_process_threadpool_threads", "dotnet_thread_pool_thread_count", "system_runtime_threadpool_thread_count"];

    public static readonly IReadOnlyList<string> ConnectionsOpen = ["chatload_server_chatload_connections_open", "chatload_connections_open"];
    public static readonly IReadOnlyList<string> ClientsRegistered = ["chatload_server_chatload_clients_registered", "chatload_clients_registered"];

    public static readonly IReadOnlyList<string> SlowConsumerDisconnects =
        ["chatload_server_chatload_slow_consumer_disconnects", "chatload_slow_consumer_disconnects_total"];

    public static readonly IReadOnlyList<string> ConnectionsRefused =
        ["chatload_server_chatload_connections_refused", "chatload_connections_refused_total"];
}
