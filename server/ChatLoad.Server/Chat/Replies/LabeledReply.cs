using System.Buffers;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// IRCv3 labeled-response: while a command tagged <c>@label=x</c> runs, everything the server sends back to its
/// sender is collected here; afterwards it goes out as one labeled line, as a <c>labeled-response</c> BATCH when
/// there are several, or as <c>ACK</c> when there are none.
/// </summary>
internal sealed class LabeledReply
{
    private readonly ArrayBufferWriter<byte> _lines = new(512);

    public LabeledReply(string label, int ownerThread, bool canBatch)
    {
        Label = label;
        OwnerThread = ownerThread;
        CanBatch = canBatch;
    }

    /// <summary>The label as the client wrote it (escaped; echoed as is).</summary>
    public string Label { get; }

    /// <summary>Only the thread running the labeled command collects; other threads' sends to the client go straight out.</summary>
    public int OwnerThread { get; }

    /// <summary>The client negotiated batch, so several replies can be wrapped.</summary>
    public bool CanBatch { get; }

    public void Add(ReadOnlySpan<byte> lines)
    {
        lines.CopyTo(_lines.GetSpan(lines.Length));
        _lines.Advance(lines.Length);
    }

    /// <summary>The collected replies with the label applied, ready to send in one piece.</summary>
    public byte[] Finish(string serverName, string batchId)
    {
        List<ReadOnlyMemory<byte>> lines = SplitLines(_lines.WrittenMemory);
        string labelTag = "label=" + Label;
        if (lines.Count == 0)
            return RelayedMessage.WithTagSection(labelTag, Encoding.UTF8.GetBytes($":{serverName} ACK\r\n"));
        if (lines.Count == 1 || !CanBatch)
        {
            // Without batch there is no way to group several replies; the first carries the label.
            var single = new ArrayBufferWriter<byte>(_lines.WrittenCount + 64);
            for (int i = 0; i < lines.Count; i++)
                Write(single, i == 0 ? RelayedMessage.WithTagSection(labelTag, lines[i].Span) : lines[i].Span);
            return single.WrittenSpan.ToArray();
        }

        var output = new ArrayBufferWriter<byte>(_lines.WrittenCount + 64 * (lines.Count + 2));
        Write(output, RelayedMessage.WithTagSection(labelTag, Encoding.UTF8.GetBytes($":{serverName} BATCH +{batchId} labeled-response\r\n")));
        foreach (ReadOnlyMemory<byte> line in lines)
            Write(output, RelayedMessage.WithTagSection("batch=" + batchId, line.Span));
        Write(output, Encoding.UTF8.GetBytes($":{serverName} BATCH -{batchId}\r\n"));
        return output.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> line)
    {
        line.CopyTo(output.GetSpan(line.Length));
        output.Advance(line.Length);
    }

    private static List<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> bytes)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        while (!bytes.IsEmpty)
        {
            int lf = bytes.Span.IndexOf((byte)'\n');
            int end = lf < 0 ? bytes.Length : lf + 1;
            lines.Add(bytes[..end]);
            bytes = bytes[end..];
        }
        return lines;
    }
}
