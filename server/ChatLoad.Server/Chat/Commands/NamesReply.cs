using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// 353 RPL_NAMREPLY lines (as many nicks per line as fit in 512 bytes) and 366 RPL_ENDOFNAMES, for JOIN and NAMES.
/// Streamed (<see cref="StreamedReply"/>): a channel of 10,000 members with 30-character nicks is ~310 KB of
/// NAMES, several times a SendQ, and still reaches a client that reads it.
/// </summary>
internal sealed class NamesReply : StreamedReply
{
    private readonly string _server;
    private readonly string _nick;
    private readonly string _channel;
    private readonly ClientSession[] _members; // the channel's snapshot when asked: never changed
    private int _next;

    private NamesReply(ClientSession client, Channel channel)
    {
        _server = client.Network.ServerName;
        _nick = client.Identity.NickOrStar;
        _channel = channel.Name;
        _members = channel.Members;
    }

    public static void SendTo(ClientSession client, Channel channel) => client.Reply(new NamesReply(client, channel));

    /// <summary>Only 366, for a channel that does not exist (NAMES answers it that way, not with an error).</summary>
    public static void SendEndOnly(ClientSession client, string channelName)
    {
        var output = new ArrayBufferWriter<byte>(IrcLimits.MaxLineBytes);
        WriteEnd(output, client.Network.ServerName, client.Identity.NickOrStar, channelName);
        client.Send(output.WrittenMemory);
    }

    public override bool WriteNext(ArrayBufferWriter<byte> output, int budgetBytes, ref int lines)
    {
        int start = output.WrittenCount;
        while (_next < _members.Length)
        {
            if (lines > 0 && output.WrittenCount - start + IrcLimits.MaxLineBytes > budgetBytes)
                return false;
            if (WriteNamesLine(output))
                lines++;
        }
        WriteEnd(output, _server, _nick, _channel);
        lines++;
        return true;
    }

    // One 353 with as many of the remaining members as fit ("=" marks a public channel, the only kind here);
    // false when none of them had a nick to show (nothing written).
    private bool WriteNamesLine(ArrayBufferWriter<byte> output)
    {
        var line = new IrcLineBuilder(output.GetSpan(IrcLimits.MaxLineBytes));
        line.AppendSource(_server);
        line.AppendCommand(IrcNumerics.RplNamReply);
        line.AppendParameter(_nick);
        line.AppendParameter("=");
        line.AppendParameter(_channel);
        line.AppendTrailing(""u8);
        bool lineHasNames = false;
        for (; _next < _members.Length; _next++)
        {
            byte[] memberNick = _members[_next].Identity.NickBytes;
            if (memberNick.Length == 0)
                continue;
            if (lineHasNames && line.RemainingBodyBytes < memberNick.Length + 1)
                break;
            if (lineHasNames)
                line.AppendText(" "u8);
            line.AppendText(memberNick);
            lineHasNames = true;
        }
        if (lineHasNames)
            output.Advance(line.Complete());
        return lineHasNames;
    }

    private static void WriteEnd(ArrayBufferWriter<byte> output, string server, string nick, string channel) =>
        IrcLineWriter.Write(output, server, IrcNumerics.RplEndOfNames, nick, channel, "End of /NAMES list.");
}
