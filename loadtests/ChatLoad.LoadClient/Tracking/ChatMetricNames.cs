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

    /// <summary>Chat lines that did not carry our payload format (should stay 0: everything we send is tracked).</summary>
    public const string Unrecognized = "unrecognized messages";

    /// <summary>Gauge: clients connected now.</summary>
    public const string ConnectedClients = "connected clients";

    /// <summary>Counter: clients that failed to set up.</summary>
    public const string ConnectFailures = "connect failures";

    /// <summary>Counter: connections the server ended that this side did not close.</summary>
    public const string UnexpectedDisconnects = "unexpected disconnects";
}
