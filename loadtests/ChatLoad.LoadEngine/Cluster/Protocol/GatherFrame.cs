using System.Buffers.Binary;

namespace ChatLoad.LoadEngine.Cluster.Protocol;

/// <summary>A collective's answer on the wire: every agent's contribution in agent order, each prefixed by its length
/// (an agent that gave none: length 0).</summary>
internal static class GatherFrame
{
    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        var frame = new byte[sizeof(int) + parts.Sum(p => sizeof(int) + p.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(frame, parts.Count);
        int at = sizeof(int);
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(at), part.Length);
            part.Span.CopyTo(frame.AsSpan(at + sizeof(int)));
            at += sizeof(int) + part.Length;
        }
        return frame;
    }

    public static IReadOnlyList<ReadOnlyMemory<byte>> Decode(byte[] frame)
    {
        if (frame.Length < sizeof(int)) throw new ClusterProtocolException("a collective answer too short to read");
        int count = BinaryPrimitives.ReadInt32LittleEndian(frame);
        if (count < 0 || count > 100_000) throw new ClusterProtocolException("a collective answer with a bad part count");
        var parts = new ReadOnlyMemory<byte>[count];
        int at = sizeof(int);
        for (int i = 0; i < count; i++)
        {
            if (frame.Length - at < sizeof(int)) throw new ClusterProtocolException("a collective answer cut short");
            int length = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(at));
            at += sizeof(int);
            if (length < 0 || frame.Length - at < length) throw new ClusterProtocolException("a collective answer cut short");
            parts[i] = frame.AsMemory(at, length);
            at += length;
        }
        return parts;
    }
}
