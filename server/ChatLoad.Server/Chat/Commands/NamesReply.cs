using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// 353 RPL_NAMREPLY lines (as many names per line as fit in 512 bytes) and 366 RPL_ENDOFNAMES, for JOIN and NAMES.
/// Each name carries its prefix (<c>@</c>, <c>+</c>; all of them with multi-prefix) and, with userhost-in-names,
/// its <c>nick!user@host</c>. A secret channel is marked <c>@</c> instead of <c>=</c>; a non-member sees neither
/// a secret channel's names nor invisible (+i) members.
/// </summary>
internal static class NamesReply
{
    public static void SendTo(ClientSession client, Channel channel)
    {
        var output = new ReplyBuffer(client, Math.Min(64 * 1024, 128 + channel.MemberCount * 16));
        Write(output, client, channel);
        output.Numeric(IrcNumerics.RplEndOfNames, channel.Name, "End of /NAMES list.");
        output.Send();
    }

    /// <summary>The 353 lines for one channel (none when <paramref name="client"/> may not see it).</summary>
    public static void Write(ReplyBuffer output, ClientSession client, Channel channel)
    {
        bool isMember = client.Channels.Contains(channel);
        if (channel.IsSecret && !isMember)
            return;
        bool userhost = client.Has(ClientCapabilities.UserhostInNames);
        output.StartWords(IrcNumerics.RplNamReply, channel.IsSecret ? "@" : "=", channel.Name);
        foreach (Membership member in channel.Members)
        {
            ClientIdentity who = member.Member.Identity;
            if (who.NickBytes.Length == 0)
                continue;
            if (!isMember && (member.Member.Modes & UserModes.Invisible) != 0)
                continue;
            string prefix = Channel.PrefixFor(member.Status, client);
            if (userhost)
                output.Word(Encoding.ASCII.GetBytes(prefix), who.Prefix);
            else if (prefix.Length == 0)
                output.Word(default, who.NickBytes);
            else
                output.Word(prefix == "@" ? "@"u8 : prefix == "+" ? "+"u8 : Encoding.ASCII.GetBytes(prefix), who.NickBytes);
        }
        output.EndWords();
    }

    /// <summary>Only 366, for a channel that does not exist or cannot be seen (NAMES answers it that way, not with an error).</summary>
    public static void SendEndOnly(ClientSession client, string channelName) =>
        client.SendNumeric(IrcNumerics.RplEndOfNames, channelName, "End of /NAMES list.");
}
