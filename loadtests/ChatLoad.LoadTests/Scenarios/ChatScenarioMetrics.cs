using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;
using ChatLoad.LoadEngine;
using ChatLoad.LoadTests.ServerMetrics;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>Every metric and step name a chat scenario may record, so a threshold naming another is rejected before
/// the run (<see cref="ScenarioProps.DeclaredMetrics"/>): <c>hist:e2e latncy:p99</c> is a usage error, not a failure
/// found after the whole run.</summary>
internal static class ChatScenarioMetrics
{
    public static ScenarioMetricNames Declared { get; } = new()
    {
        Histograms = [ChatMetricNames.EndToEndLatency],
        Counters =
        [
            ChatMetricNames.MessagesExpected, ChatMetricNames.MessagesDelivered, ChatMetricNames.Lost, ChatMetricNames.OutOfOrder,
            ChatMetricNames.Duplicates, ChatMetricNames.Unrecognized, ChatMetricNames.ConnectFailures, ChatMetricNames.UnexpectedDisconnects,
            ServerGaugeNames.ScrapeFailures,
            SlowConsumerScenario.SlowConsumers, SlowConsumerScenario.SlowDropped, SlowConsumerScenario.SlowNotDropped, SlowConsumerScenario.SendQueueErrors,
            .. FailureReasons.All.Select(ChatMetricNames.SetupFailed),
        ],
        Gauges =
        [
            ChatMetricNames.ConnectedClients,
            ServerGaugeNames.Threads, ServerGaugeNames.RssMb, ServerGaugeNames.CpuPercent, ServerGaugeNames.GcHeapMb,
            ServerGaugeNames.ThreadPoolQueue, ServerGaugeNames.ThreadPoolThreads, ServerGaugeNames.Connections,
            ServerGaugeNames.RegisteredClients, ServerGaugeNames.SlowConsumerDisconnects, ServerGaugeNames.RssKbPerClient,
            ServerGaugeNames.ThreadsPerClient,
        ],
        Steps = ["connect", "register", "join", "chat", "quit"],
    };
}
