using System.Globalization;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;

namespace ChatLoad.Server.Chat;

/// <summary>
/// One line a client originates (PRIVMSG, JOIN, MODE ...), in the forms its recipients need: the plain line every
/// client without tag capabilities gets, and — built only when the first recipient needs it — the same line with
/// <c>@time=</c> (server-time) and/or <c>msgid</c>, the sender's client-only <c>+tags</c> and <c>bot</c>
/// (message-tags). Each form is serialized once and shared by every recipient that needs it.
/// </summary>
/// <remarks>
/// A <c>ref struct</c> passed by <c>ref</c> to the fan-out: a channel where nobody negotiated tags costs exactly
/// what it did before (one array, no per-recipient work beyond a flags test), and the sender's tags are read from
/// the received line without copying. Valid only while the command that made it runs.
/// </remarks>
internal ref struct RelayedMessage
{
    private readonly ChatNetwork _network;
    private readonly ReadOnlySpan<byte> _senderTags;
    private readonly bool _fromBot;
    private readonly bool _tagsOnly;
    private string? _time;
    private string? _messageId;
    private byte[]? _withTime;
    private byte[]? _withTags;
    private byte[]? _withBoth;

    /// <param name="network">Clock and message-id source.</param>
    /// <param name="plain">The line without tags (from <see cref="RelayedLine"/>).</param>
    /// <param name="senderTags">The tag section the sender wrote, if any: its client-only tags are relayed.</param>
    /// <param name="fromBot">The sender has user mode +B: message-tags recipients see the <c>bot</c> tag.</param>
    /// <param name="tagsOnly">TAGMSG: only clients with message-tags get it at all.</param>
    public RelayedMessage(ChatNetwork network, byte[] plain, ReadOnlySpan<byte> senderTags = default, bool fromBot = false, bool tagsOnly = false)
    {
        _network = network;
        Plain = plain;
        _senderTags = senderTags;
        _fromBot = fromBot;
        _tagsOnly = tagsOnly;
    }

    /// <summary>The line without tags.</summary>
    public byte[] Plain { get; }

    /// <summary>The bytes to queue for a recipient with <paramref name="capabilities"/>; empty when it gets nothing.</summary>
    public ReadOnlyMemory<byte> For(ClientCapabilities capabilities)
    {
        switch (capabilities & ClientCapabilities.TagsOnRelays)
        {
            case ClientCapabilities.None:
                return _tagsOnly ? ReadOnlyMemory<byte>.Empty : Plain;
            case ClientCapabilities.ServerTime:
                return _tagsOnly ? ReadOnlyMemory<byte>.Empty : _withTime ??= Build(time: true, tags: false);
            case ClientCapabilities.MessageTags:
                return _withTags ??= Build(time: false, tags: true);
            default:
                return _withBoth ??= Build(time: true, tags: true);
        }
    }

    /// <summary>The message id shared by every tagged form (and the echo to the sender).</summary>
    public string MessageId => _messageId ??= _network.NextMessageId();

    private byte[] Build(bool time, bool tags)
    {
        var text = new StringBuilder(64);
        if (time)
            Append(text, "time=" + (_time ??= FormatTime(_network.Time.GetUtcNow())));
        if (tags)
        {
            Append(text, "msgid=" + MessageId);
            if (_fromBot)
                Append(text, "bot");
            foreach (IrcTags tag in new IrcTags(_senderTags))
            {
                if (IrcTags.IsClientOnly(tag.Key))
                    Append(text, Encoding.UTF8.GetString(tag.Whole));
            }
        }
        return WithTagSection(text.ToString(), Plain);
    }

    private static void Append(StringBuilder text, string tag)
    {
        if (text.Length > 0)
            text.Append(';');
        text.Append(tag);
    }

    /// <summary>The server-time format: ISO 8601 UTC with milliseconds.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="line"/> with <paramref name="tags"/> (without '@') added in front, merged into the tag
    /// section the line already has. Tags do not count toward the 512 bytes of the rest of the line (IRCv3).
    /// </summary>
    public static byte[] WithTagSection(string tags, ReadOnlySpan<byte> line)
    {
        if (tags.Length == 0)
            return line.ToArray();
        int tagBytes = Encoding.UTF8.GetByteCount(tags);
        bool merge = !line.IsEmpty && line[0] == (byte)'@';
        var result = new byte[1 + tagBytes + (merge ? 1 : 1) + line.Length - (merge ? 1 : 0)];
        result[0] = (byte)'@';
        Encoding.UTF8.GetBytes(tags, result.AsSpan(1));
        int at = 1 + tagBytes;
        result[at++] = merge ? (byte)';' : (byte)' ';
        (merge ? line[1..] : line).CopyTo(result.AsSpan(at));
        return result;
    }
}
