using NATS.Client.Core;

namespace ChatLoad.LoadEngine.Cluster.Protocol;

/// <summary>
/// Payloads of any size over NATS, whose messages are capped (1 MB by default): gzipped, cut into chunks, each sent as
/// a request the receiver acknowledges, retried when an acknowledgement does not come. Results (a run's whole
/// result.json) and collectives' contributions travel this way; the labels say what a payload is.
/// </summary>
internal static class BlobTransfer
{
    /// <summary>Bytes per chunk. Default 256 KiB: a quarter of NATS's default max_payload, leaving room for headers.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>Largest payload accepted once inflated. Default 256 MB: far above any run's result (a few MB for
    /// minutes of per-second histograms), low enough that a broken peer cannot exhaust the receiver's memory.</summary>
    public const long MaxPayloadBytes = 256L << 20;

    /// <summary>Tries per chunk before giving up.</summary>
    private const int Attempts = 3;

    public const string IdHeader = "Blob-Id", PartHeader = "Blob-Part", PartsHeader = "Blob-Parts";

    /// <summary>Sends <paramref name="payload"/> to whoever answers on <paramref name="subject"/>; throws
    /// <see cref="TimeoutException"/> when a chunk goes unacknowledged <see cref="Attempts"/> times, and
    /// <see cref="ClusterProtocolException"/> when the receiver refuses it.</summary>
    public static async Task SendAsync(ClusterConnection connection, string subject, IReadOnlyDictionary<string, string> labels, ReadOnlyMemory<byte> payload,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var packed = ClusterJson.Gzip(payload.Span);
        int parts = Math.Max(1, (packed.Length + ChunkBytes - 1) / ChunkBytes);
        string id = Guid.NewGuid().ToString("N");
        for (int part = 0; part < parts; part++)
        {
            var chunk = packed.AsSpan(part * ChunkBytes, Math.Min(ChunkBytes, packed.Length - part * ChunkBytes)).ToArray();
            for (int attempt = 1; ; attempt++)
            {
                var headers = new NatsHeaders { [IdHeader] = id, [PartHeader] = part.ToString(), [PartsHeader] = parts.ToString() };
                foreach (var (key, value) in labels) headers[key] = value;
                try
                {
                    var ack = await connection.RequestAsync<byte[], Ack>(subject, chunk, timeout, cancellationToken, headers, rawRequest: chunk).ConfigureAwait(false);
                    if (!ack.Ok) throw new ClusterProtocolException($"{subject} refused a payload: {ack.Error}");
                    break;
                }
                catch (TimeoutException) when (attempt < Attempts && !cancellationToken.IsCancellationRequested)
                {
                    // The chunk or its acknowledgement was lost; the receiver takes a repeat of a part it has.
                }
            }
        }
    }
}

/// <summary>Puts chunked payloads back together on the receiving side (one per subscription; not thread-safe).</summary>
internal sealed class BlobAssembler
{
    /// <summary>Payloads being received at once. Default 64: one per agent and collective in flight, with room.</summary>
    private const int MaxOpen = 64;

    private readonly Dictionary<string, (byte[]?[] Parts, int Received)> _open = new();
    private readonly Queue<string> _recentlyDone = new();
    private readonly HashSet<string> _done = new();

    /// <summary>Adds one chunk; returns the whole payload (inflated) once its last chunk is in, else null. A repeat of a
    /// chunk already taken is ignored. Throws <see cref="ClusterProtocolException"/> for a malformed chunk.</summary>
    public byte[]? Add(NatsMsg<byte[]> message)
    {
        var headers = message.Headers ?? throw new ClusterProtocolException("a payload chunk without headers");
        string id = Header(headers, BlobTransfer.IdHeader);
        if (!int.TryParse(Header(headers, BlobTransfer.PartHeader), out int part) || !int.TryParse(Header(headers, BlobTransfer.PartsHeader), out int parts)
            || parts < 1 || part < 0 || part >= parts || (long)parts * BlobTransfer.ChunkBytes > BlobTransfer.MaxPayloadBytes)
            throw new ClusterProtocolException("a payload chunk with bad part numbers");
        if (_done.Contains(id)) return null;
        if (!_open.TryGetValue(id, out var entry))
        {
            if (_open.Count >= MaxOpen) throw new ClusterProtocolException($"more than {MaxOpen} payloads arriving at once");
            entry = (new byte[parts][], 0);
        }
        if (entry.Parts.Length != parts) throw new ClusterProtocolException("a payload's chunks disagree on their count");
        if (entry.Parts[part] is null)
        {
            entry.Parts[part] = message.Data ?? [];
            entry.Received++;
        }
        if (entry.Received < parts)
        {
            _open[id] = entry;
            return null;
        }
        _open.Remove(id);
        _done.Add(id);
        _recentlyDone.Enqueue(id);
        if (_recentlyDone.Count > MaxOpen) _done.Remove(_recentlyDone.Dequeue());
        var packed = new byte[entry.Parts.Sum(p => p!.Length)];
        int at = 0;
        foreach (var chunk in entry.Parts)
        {
            chunk!.CopyTo(packed, at);
            at += chunk.Length;
        }
        return ClusterJson.Gunzip(packed, BlobTransfer.MaxPayloadBytes);
    }

    public static string Header(NatsHeaders headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? "" : throw new ClusterProtocolException($"a message without its {name} header");
}
