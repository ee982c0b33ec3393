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
}
