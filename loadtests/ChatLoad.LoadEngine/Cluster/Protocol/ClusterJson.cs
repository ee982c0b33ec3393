using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatLoad.LoadEngine.Cluster.Protocol;

/// <summary>The wire form of cluster messages: compact camelCase JSON, enums as strings, NaN allowed (as in result.json).</summary>
internal static class ClusterJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static byte[] Bytes<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    /// <summary>Throws <see cref="ClusterProtocolException"/> for anything that is not a <typeparamref name="T"/>.</summary>
    public static T Read<T>(ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(data, Options) ?? throw new ClusterProtocolException($"empty {typeof(T).Name}");
        }
        catch (JsonException ex)
        {
            throw new ClusterProtocolException($"unreadable {typeof(T).Name}: {ex.Message}");
        }
    }

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Inflates at most <paramref name="maxBytes"/>; more is a protocol error, not a memory blow-up.</summary>
    public static byte[] Gunzip(byte[] data, long maxBytes)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > maxBytes) throw new ClusterProtocolException($"a payload inflates past {maxBytes / 1048576} MB");
            }
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new ClusterProtocolException($"a payload is not gzip: {ex.Message}");
        }
    }
}

/// <summary>A peer sent something this build cannot read.</summary>
internal sealed class ClusterProtocolException(string message) : Exception(message);

/// <summary>The NATS server (or the cluster behind it) cannot be reached: nothing was measured.</summary>
internal sealed class ClusterUnavailableException(string message) : Exception(message);
