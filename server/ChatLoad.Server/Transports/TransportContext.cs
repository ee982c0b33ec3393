using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports;

/// <summary>
/// What every connection of one listener shares: its limits, clock, metrics, log and the listener's "this
/// connection is gone" callback. One reference per connection instead of one per item keeps the idle connection
/// small (the async model's memory per idle client is one of the figures this project measures).
/// </summary>
internal sealed class TransportContext
{
    public TransportContext(ServerOptions options, ChatMetrics metrics, TimeProvider time, ILogger logger)
    {
        SendQueueBytes = options.SendQueueBytes;
        CloseTimeout = options.SendTimeout;
        Metrics = metrics;
        Time = time;
        Logger = logger;
    }

    /// <summary>SendQ: the most a client's backlog may hold (ServerOptions.SendQueueBytes).</summary>
    public int SendQueueBytes { get; }

    /// <summary>
    /// The close deadline (ServerOptions.SendTimeout): once a close is asked for, how long the ERROR line and the
    /// peer's own close may take before the connection is reset.
    /// </summary>
    public TimeSpan CloseTimeout { get; }

    public ChatMetrics Metrics { get; }
    public TimeProvider Time { get; }
    public ILogger Logger { get; }

    /// <summary>Set by the listener: a connection has ended (after the session heard of it).</summary>
    public Action<TransportConnection> ConnectionEnded { get; set; } = static _ => { };

    /// <summary>Set by the listener: a connection found the process out of descriptors (its threads could not start).</summary>
    public Action DescriptorsExhausted { get; set; } = static () => { };
}
