using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// A reply already written whole (a <see cref="ReplyBuffer"/> too long to queue at once: LIST, WHO of a mask,
/// NAMES of several channels, a long MOTD): sent in parts of whole lines, slices of the one buffer.
/// </summary>
internal sealed class PrebuiltReply(ReadOnlyMemory<byte> lines) : StreamedReply
{
    private ReadOnlyMemory<byte> _rest = lines;

    public override bool SendNext(ClientSession client, int budgetBytes)
    {
        ReadOnlySpan<byte> rest = _rest.Span;
        int end = 0;
        int count = 0;
        while (end < rest.Length)
        {
            int lineEnd = rest[end..].IndexOf((byte)'\n') + end + 1;
            if (count > 0 && lineEnd > budgetBytes)
                break;
            end = lineEnd;
            count++;
        }
        client.Send(_rest[..end], count);
        _rest = _rest[end..];
        return _rest.IsEmpty;
    }
}
