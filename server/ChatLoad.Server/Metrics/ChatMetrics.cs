using System.Diagnostics.Metrics;

namespace ChatLoad.Server.Metrics;

/// <summary>
/// The server's <see cref="Meter"/> ("ChatLoad.Server"). The core and the transports report through these methods;
/// the Prometheus endpoint exports them. All methods are cheap and thread-safe.
/// </summary>
public sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "ChatLoad.Server";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connectionsOpen;
    private readonly Counter<long> _connectionsTotal;
    private readonly UpDownCounter<long> _clientsRegistered;
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _messagesOut;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _slowConsumerDisconnects;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _connectionsRefused;
    private readonly Counter<long> _linesThrottled;
    private readonly Counter<long> _floodDisconnects;
    private readonly Counter<long> _limitRefusals;
    private Func<long>? _channelCount;

    public ChatMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _connectionsOpen = _meter.CreateUpDownCounter<long>("chatload.connections.open", description: "Connections open now");
        _connectionsTotal = _meter.CreateCounter<long>("chatload.connections.total", description: "Connections accepted since start");
        _connectionsRefused = _meter.CreateCounter<long>("chatload.connections.refused", description: "Connections refused at admission, by reason: server_full, per_address, connect_rate, descriptors, tls_handshakes, threads");
        _clientsRegistered = _meter.CreateUpDownCounter<long>("chatload.clients.registered", description: "Registered clients now");
        _messagesIn = _meter.CreateCounter<long>("chatload.messages.in", description: "Lines received");
        _messagesOut = _meter.CreateCounter<long>("chatload.messages.out", description: "Lines queued to clients (one per recipient)");
        _bytesIn = _meter.CreateCounter<long>("chatload.bytes.in", "By", "Bytes received");
        _bytesOut = _meter.CreateCounter<long>("chatload.bytes.out", "By", "Bytes sent");
        _slowConsumerDisconnects = _meter.CreateCounter<long>("chatload.slow_consumer.disconnects", description: "Clients closed for SendQ exceeded");
        _protocolErrors = _meter.CreateCounter<long>("chatload.protocol.errors", description: "Error numerics sent, over-long lines, bad input");
        _linesThrottled = _meter.CreateCounter<long>("chatload.flood.throttled_lines", description: "Lines flood control held back (the sender went over its burst)");
        _floodDisconnects = _meter.CreateCounter<long>("chatload.flood.disconnects", description: "Clients closed with ERROR :Excess flood");
        _limitRefusals = _meter.CreateCounter<long>("chatload.limits.refused", description: "Commands refused by a rate or size limit (263, 407, 437, 438)");
        _meter.CreateObservableGauge("chatload.channels", () => _channelCount?.Invoke() ?? 0, description: "Channels on the server now");
    }

    /// <summary>Where the <c>chatload.channels</c> gauge reads the channel count (the core registers it).</summary>
    public void ObserveChannels(Func<long> count) => _channelCount = count;

    public void ConnectionOpened() { _connectionsOpen.Add(1); _connectionsTotal.Add(1); }
    public void ConnectionClosed() => _connectionsOpen.Add(-1);
    /// <summary>One connection turned away; <paramref name="reason"/> is the admission refusal's kind (a metric label).</summary>
    public void ConnectionRefused(string reason) => _connectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void ClientRegistered() => _clientsRegistered.Add(1);
    public void ClientUnregistered() => _clientsRegistered.Add(-1);
    public void LineReceived() => _messagesIn.Add(1);
    public void LinesQueued(long recipients) => _messagesOut.Add(recipients);
    public void BytesReceived(long bytes) => _bytesIn.Add(bytes);
    public void BytesSent(long bytes) => _bytesOut.Add(bytes);
    public void SlowConsumerDisconnected() => _slowConsumerDisconnects.Add(1);
    public void ProtocolError() => _protocolErrors.Add(1);
    public void LineThrottled() => _linesThrottled.Add(1);
    public void FloodDisconnected() => _floodDisconnects.Add(1);
    public void LimitRefused() => _limitRefusals.Add(1);

    public void Dispose() => _meter.Dispose();
}
