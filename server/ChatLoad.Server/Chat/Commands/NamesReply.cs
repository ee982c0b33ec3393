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
/// a secret channel's names nor invisible (+i) members. On JOIN it is streamed (<see cref="StreamedReply"/>) from a
/// cursor into the member snapshot: a channel of 10,000 members with 30-character nicks is ~310 KB of NAMES,
/// several times a SendQ, and still reaches a client that reads it.
/// </summary>
internal sealed class NamesReply : StreamedReply
{
    private readonly ClientSession _client;
    private readonly Channel _channel;
    private readonly Membership[] _members; // the channel's snapshot when asked: never changed
    private readonly bool _isMember;
    private readonly bool _userhost;
    private int _next;

    private NamesReply(ClientSession client, Channel channel)
    {
        _client = client;
        _channel = channel;
        _members = channel.Members;
        _isMember = client.Channels.Contains(channel);
        _userhost = client.Has(ClientCapabilities.UserhostInNames);
    }

    /// <summary>The 353 lines and 366 for one channel, streamed as the client reads them.</summary>
    public static void SendTo(ClientSession client, Channel channel) => client.Reply(new NamesReply(client, channel));

    /// <summary>The 353 lines for one channel into <paramref name="output"/> (none when <paramref name="client"/> may not see it).</summary>
    public static void Write(ReplyBuffer output, ClientSession client, Channel channel) =>
        new NamesReply(client, channel).WriteNames(output, int.MaxValue);

    /// <summary>Only 366, for a channel that does not exist or cannot be seen (NAMES answers it that way, not with an error).</summary>
    public static void SendEndOnly(ClientSession client, string channelName) =>
        client.SendNumeric(IrcNumerics.RplEndOfNames, channelName, "End of /NAMES list.");

    public override bool SendNext(ClientSession client, int budgetBytes)
    {
        var output = new ReplyBuffer(client, Math.Min(budgetBytes, 1024));
        bool done = WriteNames(output, budgetBytes);
        if (done)
            output.Numeric(IrcNumerics.RplEndOfNames, _channel.Name, "End of /NAMES list.");
        output.SendNow();
        return done;
    }

    // 353s from the cursor on until about budgetBytes are written; true once every member is.
    private bool WriteNames(ReplyBuffer output, int budgetBytes)
    {
        if (_channel.IsSecret && !_isMember)
            return true;
        output.StartWords(IrcNumerics.RplNamReply, _channel.IsSecret ? "@" : "=", _channel.Name);
        for (; _next < _members.Length; _next++)
        {
            if (output.WrittenBytes + IrcLimits.MaxLineBytes > budgetBytes && output.WrittenBytes > 0)
            {
                output.EndWords();
                return false;
            }
            Membership member = _members[_next];
            ClientIdentity who = member.Member.Identity;
            if (who.NickBytes.Length == 0)
                continue;
            if (!_isMember && (member.Member.Modes & UserModes.Invisible) != 0)
                continue;
            string prefix = Channel.PrefixFor(member.Status, _client);
            if (_userhost)
                output.Word(Encoding.ASCII.GetBytes(prefix), who.Prefix);
            else if (prefix.Length == 0)
                output.Word(default, who.NickBytes);
            else
                output.Word(prefix == "@" ? "@"u8 : prefix == "+" ? "+"u8 : Encoding.ASCII.GetBytes(prefix), who.NickBytes);
        }
        output.EndWords();
        return true;
    }
}
