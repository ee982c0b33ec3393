using NATS.Client.Core;

namespace ChatLoad.LoadEngine.Cluster.Protocol;

/// <summary>
/// One side's NATS connection, speaking the cluster's JSON messages: publish, request with a bounded wait, subscribe,
/// and reply. The NATS client reconnects by itself after a network blip; a peer that stays away is found by its
/// missing heartbeats, not here.
/// </summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>How long the first connect may take. Default 5 s: a NATS server on a reachable host answers in
    /// milliseconds, so this only decides how soon a wrong <c>--nats</c>/<c>--cluster</c> address is reported.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly NatsConnection _nats;

    private ClusterConnection(NatsConnection nats, string url)
    {
        _nats = nats;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The largest message the server takes (its max_payload; 1 MB by default).</summary>
    public long MaxPayload => _nats.ServerInfo?.MaxPayload ?? 1 << 20;

    /// <summary>Throws <see cref="ClusterUnavailableException"/> when no NATS server answers at <paramref name="url"/>.</summary>
    public static async Task<ClusterConnection> ConnectAsync(string url, string clientName, CancellationToken cancellationToken)
    {
        var nats = new NatsConnection(NatsOpts.Default with
        {
            Url = url,
            Name = clientName,
            ConnectTimeout = ConnectTimeout,
            // Control messages are small and few; a full pending channel would mean a stuck handler, so wait rather than drop.
            SubPendingChannelFullMode = System.Threading.Channels.BoundedChannelFullMode.Wait,
        });
        try
        {
            await nats.ConnectAsync().AsTask().WaitAsync(ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await nats.DisposeAsync().ConfigureAwait(false);
            throw new ClusterUnavailableException($"no NATS server answered at {url}: {ex.Message} (start one with: nats-server -a HOST -p PORT)");
        }
        return new ClusterConnection(nats, url);
    }

    public ValueTask PublishAsync<T>(string subject, T message, CancellationToken cancellationToken = default) =>
        _nats.PublishAsync(subject, ClusterJson.Bytes(message), cancellationToken: cancellationToken);

    /// <summary>Publishes <paramref name="message"/> with replies to <paramref name="replyTo"/> (a roll call).</summary>
    public ValueTask PublishAsync<T>(string subject, T message, string replyTo, CancellationToken cancellationToken = default) =>
        _nats.PublishAsync(subject, ClusterJson.Bytes(message), replyTo: replyTo, cancellationToken: cancellationToken);

    /// <summary>Sends a request and reads the reply; throws <see cref="TimeoutException"/> when none comes within
    /// <paramref name="timeout"/> (or nobody listens on the subject).</summary>
    public async Task<TReply> RequestAsync<TRequest, TReply>(string subject, TRequest request, TimeSpan timeout, CancellationToken cancellationToken,
        NatsHeaders? headers = null, byte[]? rawRequest = null)
    {
        try
        {
            var reply = await _nats.RequestAsync<byte[], byte[]>(subject, rawRequest ?? ClusterJson.Bytes(request), headers: headers,
                replyOpts: new NatsSubOpts { Timeout = timeout }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ClusterJson.Read<TReply>(reply.Data ?? []);
        }
        catch (NatsNoRespondersException)
        {
            throw new TimeoutException($"nobody listens on {subject}");
        }
        catch (NatsNoReplyException)
        {
            throw new TimeoutException($"no reply on {subject} within {timeout.TotalSeconds:0.#} s");
        }
        catch (NatsTimeoutException)
        {
            throw new TimeoutException($"no reply on {subject} within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Subscribes, and returns once the server has the subscription, so nothing published after this returns
    /// is missed. Read with <c>Msgs.ReadAllAsync</c>; dispose to unsubscribe.</summary>
    public async Task<INatsSub<byte[]>> ListenAsync(string subject, CancellationToken cancellationToken) =>
        await _nats.SubscribeCoreAsync<byte[]>(subject, cancellationToken: cancellationToken).ConfigureAwait(false);

    public static ValueTask ReplyAsync<T>(NatsMsg<byte[]> message, T reply) =>
        message.ReplyTo is null ? ValueTask.CompletedTask : message.ReplyAsync(ClusterJson.Bytes(reply));

    public string NewInbox() => _nats.NewInbox();

    public async ValueTask DisposeAsync() => await _nats.DisposeAsync().ConfigureAwait(false);
}
