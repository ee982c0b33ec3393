namespace ChatLoad.LoadTests.Tracking;

/// <summary>The names of the chat suite's custom metrics, as they appear in reports and in thresholds
/// (<c>counter:lost == 0</c>). The comparison reads them by these names.</summary>
internal static class ChatMetricNames
{
    public const string EndToEndLatency = "e2e latency";
    public const string MessagesExpected = "messages expected";
    public const string MessagesDelivered = "messages delivered";
    public const string Lost = "lost";
    public const string OutOfOrder = "out of order";
    public const string Duplicates = "duplicates";

    /// <summary>Chat lines that did not carry our payload format (should stay 0: everything we send is tracked).</summary>
    public const string Unrecognized = "unrecognized messages";

    public const string ConnectedClients = "connected clients";
    public const string ConnectFailures = "connect failures";
    public const string UnexpectedDisconnects = "unexpected disconnects";

    /// <summary>"setup failed: server full": clients that could not be set up, one counter per reason, so shards add
    /// them up exactly and every failed client is accounted for by a reason.</summary>
    public const string SetupFailedPrefix = "setup failed: ";

    public static string SetupFailed(string reason) => SetupFailedPrefix + reason;

    /// <summary>Every metric and step name a chat scenario may record, so a threshold naming another is rejected
    /// before the run (<see cref="ChatLoad.LoadEngine.Scenario.DeclaredMetrics"/>).</summary>
    public static ChatLoad.LoadEngine.ScenarioMetricNames Declared { get; } = new()
    {
        Histograms = [EndToEndLatency],
        Counters =
        [
            MessagesExpected, MessagesDelivered, Lost, OutOfOrder, Duplicates, Unrecognized, ConnectFailures, UnexpectedDisconnects,
            ServerMetrics.ServerGaugeNames.ScrapeFailures,
            Scenarios.SlowConsumerScenario.SlowConsumers, Scenarios.SlowConsumerScenario.SlowDropped,
            Scenarios.SlowConsumerScenario.SlowNotDropped, Scenarios.SlowConsumerScenario.SendQueueErrors,
            .. Client.FailureReasons.All.Select(SetupFailed),
        ],
        Gauges =
        [
            ConnectedClients,
            ServerMetrics.ServerGaugeNames.Threads, ServerMetrics.ServerGaugeNames.RssMb, ServerMetrics.ServerGaugeNames.CpuPercent,
            ServerMetrics.ServerGaugeNames.GcHeapMb, ServerMetrics.ServerGaugeNames.ThreadPoolQueue, ServerMetrics.ServerGaugeNames.ThreadPoolThreads,
            ServerMetrics.ServerGaugeNames.Connections, ServerMetrics.ServerGaugeNames.RegisteredClients,
            ServerMetrics.ServerGaugeNames.SlowConsumerDisconnects, ServerMetrics.ServerGaugeNames.RssKbPerClient,
            ServerMetrics.ServerGaugeNames.ThreadsPerClient,
        ],
        Steps = ["connect", "register", "join", "chat", "quit"],
    };
}
