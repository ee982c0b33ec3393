namespace ChatLoad.LoadClient.Tracking;

/// <summary>The names of the chat suite's custom metrics, as they appear in reports and in thresholds
/// (<c>counter:lost == 0</c>). The comparison reads them by these names.</summary>
public static class ChatMetricNames
{
    /// <summary>Histogram: send to arrival, per receiver (<c>hist:e2e latency:p99</c>).</summary>
    public const string EndToEndLatency = "e2e latency";

    /// <summary>Counter: deliveries the senders expected (one per tracked recipient of each message).</summary>
    public const string MessagesExpected = "messages expected";

    /// <summary>Counter: deliveries that arrived (duplicates not counted).</summary>
    public const string MessagesDelivered = "messages delivered";

    /// <summary>Counter: expected deliveries that never arrived, settled after the drain (<c>counter:lost == 0</c>).</summary>
    public const string Lost = "lost";

    /// <summary>Counter: deliveries that arrived after a later message of the same sender.</summary>
    public const string OutOfOrder = "out of order";

    /// <summary>Counter: deliveries that arrived twice.</summary>
    public const string Duplicates = "duplicates";

    /// <summary>Counter (cluster runs): deliveries whose sender ran on another agent than the receiver.</summary>
    public const string CrossAgentDeliveries = "messages from other agents";

    /// <summary>Counter (cluster runs): e2e latency samples taken across two machines' clocks and so corrected by their
    /// measured offset (the report states its uncertainty); 0 when every agent shares one machine's clock.</summary>
    public const string ClockCorrectedLatencies = "e2e clock-corrected";

    /// <summary>Chat lines that did not carry our payload format (should stay 0: everything we send is tracked).</summary>
    public const string Unrecognized = "unrecognized messages";

    /// <summary>Gauge: clients connected now.</summary>
    public const string ConnectedClients = "connected clients";

    /// <summary>Counter: clients that failed to set up.</summary>
    public const string ConnectFailures = "connect failures";

    /// <summary>Counter: connections the server ended that this side did not close.</summary>
    public const string UnexpectedDisconnects = "unexpected disconnects";

    /// <summary>"setup failed: server full": clients that could not be set up, one counter per reason, so shards add
    /// them up exactly and every failed client is accounted for by a reason.</summary>
    public const string SetupFailedPrefix = "setup failed: ";

    /// <summary>The counter for clients that failed to set up with <paramref name="reason"/> (a <see cref="FailureReasons"/> status).</summary>
    public static string SetupFailed(string reason) => SetupFailedPrefix + reason;
}
