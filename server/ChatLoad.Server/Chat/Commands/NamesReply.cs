using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// 353 RPL_NAMREPLY lines (as many nicks per line as fit in 512 bytes) and 366 RPL_ENDOFNAMES, for JOIN and NAMES.
/// All lines go out in one Send.
/// </summary>
internal static class NamesReply
{
    public static void SendTo(ClientSession client, Channel channel)
    {
        string server = client.Network.ServerName;
        string nick = client.Identity.NickOrStar;
        ClientSession[] members = channel.Members;
        var output = new ArrayBufferWriter<byte>(Math.Min(64 * 1024, 128 + members.Length * 16));
        int lines = 0;

        var line = StartNamesLine(output, server, nick, channel.Name);
        bool lineHasNames = false;
        foreach (ClientSession member in members)
        {
            byte[] memberNick = member.Identity.NickBytes;
            if (memberNick.Length == 0)
                continue;
            if (lineHasNames && line.RemainingBodyBytes < memberNick.Length + 1)
            {
                output.Advance(line.Complete());
                lines++;
                line = StartNamesLine(output, server, nick, channel.Name);
                lineHasNames = false;
            }
            if (lineHasNames)
                line.AppendText(" "u8);
            line.AppendText(memberNick);
            lineHasNames = true;
        }
        if (lineHasNames)
        {
            output.Advance(line.Complete());
            lines++;
        }

        lines += WriteEnd(output, server, nick, channel.Name);
        client.Send(output.WrittenMemory, lines);
    }

    /// <summary>Only 366, for a channel that does not exist (NAMES answers it that way, not with an error).</summary>
    public static void SendEndOnly(ClientSession client, string channelName)
    {
        var output = new ArrayBufferWriter<byte>(IrcLimits.MaxLineBytes);
        int lines = WriteEnd(output, client.Network.ServerName, client.Identity.NickOrStar, channelName);
        client.Send(output.WrittenMemory, lines);
    }

    // "=" marks a public channel, the only kind this server has.
    private static IrcLineBuilder StartNamesLine(ArrayBufferWriter<byte> output, string server, string nick, string channel)
    {
        var line = new IrcLineBuilder(output.GetSpan(IrcLimits.MaxLineBytes));
        line.AppendSource(server);
        line.AppendCommand(IrcNumerics.RplNamReply);
        line.AppendParameter(nick);
        line.AppendParameter("=");
        line.AppendParameter(channel);
        line.AppendTrailing(""u8);
        return line;
    }

    private static int WriteEnd(ArrayBufferWriter<byte> output, string server, string nick, string channel)
    {
        IrcLineWriter.Write(output, server, IrcNumerics.RplEndOfNames, nick, channel, "End of /NAMES list.");
        return 1;
    }
}
