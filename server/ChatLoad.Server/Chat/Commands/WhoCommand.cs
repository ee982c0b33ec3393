using System.Globalization;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>WHO &lt;mask&gt; [o] [%fields[,token]]</c> (modern.ircdocs.horse, IRCv3 WHOX):
/// <list type="bullet">
/// <item><c>#channel</c>: its members (for a non-member: not a secret channel's, not invisible ones), with their
/// channel prefixes in the flags.</item>
/// <item>an exact nick: that user, invisible or not.</item>
/// <item>a mask with <c>*</c>/<c>?</c> (<c>*</c> or <c>0</c> alone: everyone): users whose nick, username, host
/// or real name matches, skipping invisible users the asker shares no channel with.</item>
/// </list>
/// Flags are <c>H</c> (here) or <c>G</c> (gone, away), <c>*</c> for an IRC operator, <c>B</c> for a bot, then the
/// prefixes. <c>o</c> keeps operators only. With <c>%fields</c> each user is one 354 with the requested fields
/// in the fixed order <c>tcuihsnfdlaor</c>. The list ends with 315 naming the mask exactly as sent.
/// </summary>
/// <remarks>
/// The reply is streamed (<see cref="StreamedReply"/>) from a cursor into a snapshot of the candidates (a channel's
/// member array, or the users holding nicks when asked): WHO of a channel of 10,000 is about a megabyte, and a
/// client that reads it gets all of it.
/// </remarks>
internal sealed class WhoCommand : ICommandHandler
{
    /// <summary>The WHOX field letters, in the order they are written.</summary>
    private const string WhoxFieldOrder = "tcuihsnfdlaor";

    public string Name => "WHO";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string mask = message.ParameterCount > 0 && !message[0].IsEmpty ? message.GetString(0) : "*";
        string options = message.ParameterCount > 1 ? message.GetString(1) : "";
        int percent = options.IndexOf('%');
        bool operatorsOnly = (percent < 0 ? options : options[..percent]).Contains('o');
        Whox? whox = percent < 0 ? null : Whox.Parse(options[(percent + 1)..]);

        ChatNetwork network = client.Network;
        if (mask[0] == '#')
        {
            Channel? channel = network.Channels.Find(mask);
            bool isMember = channel is not null && client.Channels.Contains(channel);
            Membership[] members = channel is not null && (!channel.IsSecret || isMember) ? channel.Members : [];
            client.Reply(new WhoReply(client, mask, operatorsOnly, whox, channel, isMember, members, []));
        }
        else if (!IrcMask.HasWildcards(mask) && mask != "0")
        {
            ClientSession[] holder = network.Nicks.FindUser(mask) is { } user ? [user] : [];
            client.Reply(new WhoReply(client, mask, operatorsOnly, whox, null, false, [], holder) { Exact = true });
        }
        else
        {
            client.Reply(new WhoReply(client, mask, operatorsOnly, whox, null, false, [], [.. network.Nicks.Holders]));
        }
    }

    /// <summary>
    /// The entries for the snapshot taken when WHO was asked (a channel's members, or users), then 315, a part at a
    /// time; each candidate is checked (visibility, mask, <c>o</c>) as its turn comes.
    /// </summary>
    private sealed class WhoReply(ClientSession asker, string mask, bool operatorsOnly, Whox? whox, Channel? channel, bool isMember,
        Membership[] members, ClientSession[] users) : StreamedReply
    {
        private int _next;

        /// <summary>An exact nick was asked: that user, invisible or not.</summary>
        public bool Exact { get; init; }

        public override bool SendNext(ClientSession client, int budgetBytes)
        {
            var output = new ReplyBuffer(client, Math.Min(budgetBytes, 1024));
            int count = channel is not null ? members.Length : users.Length;
            for (; _next < count; _next++)
            {
                if (output.WrittenBytes > 0 && output.WrittenBytes + IrcLimits.MaxLineBytes > budgetBytes)
                {
                    output.SendNow();
                    return false;
                }
                if (channel is not null)
                    WriteMember(output, members[_next]);
                else
                    WriteUser(output, users[_next]);
            }
            output.Numeric(IrcNumerics.RplEndOfWho, mask, "End of /WHO list.");
            output.SendNow();
            return true;
        }

        private void WriteMember(ReplyBuffer output, Membership member)
        {
            if (!isMember && (member.Member.Modes & UserModes.Invisible) != 0)
                return;
            if (!operatorsOnly || member.Member.IsOperator)
                WriteEntry(output, asker, member.Member, channel, member.Status, whox);
        }

        private void WriteUser(ReplyBuffer output, ClientSession user)
        {
            if (operatorsOnly && !user.IsOperator)
                return;
            if (!Exact)
            {
                if (!user.IsRegistered)
                    return;
                if (!ReferenceEquals(user, asker) && (user.Modes & UserModes.Invisible) != 0 && !ChannelPeers.Share(asker, user))
                    return;
                if (mask is not ("*" or "0") && !Matches(mask, user.Identity, asker.Network.ServerName))
                    return;
            }
            WriteEntry(output, asker, user, null, MemberStatus.None, whox);
        }
    }

    private static bool Matches(string mask, ClientIdentity who, string serverName) =>
        IrcMask.IsMatch(mask, who.NickOrStar) || IrcMask.IsMatch(mask, who.UserName ?? "") || IrcMask.IsMatch(mask, who.Host)
        || IrcMask.IsMatch(mask, who.RealName ?? "") || IrcMask.IsMatch(mask, serverName);

    private static void WriteEntry(ReplyBuffer output, ClientSession asker, ClientSession user, Channel? channel, MemberStatus status, Whox? whox)
    {
        ClientIdentity who = user.Identity;
        if (who.Nick is null)
            return;
        string server = asker.Network.ServerName;
        string flags = Flags(user, status, asker);
        string channelName = channel?.Name ?? "*";
        if (whox is null)
        {
            // 352: <me> <channel> <user> <host> <server> <nick> <flags> :<hop count> <real name>
            output.Numeric(IrcNumerics.RplWhoReply, channelName, who.UserName ?? "~user", who.Host, server, who.Nick, flags, "0 " + who.RealName);
            return;
        }

        var fields = new List<string>(WhoxFieldOrder.Length);
        foreach (char field in WhoxFieldOrder)
        {
            if (!whox.Value.Fields.Contains(field))
                continue;
            fields.Add(field switch
            {
                't' => whox.Value.Token,
                'c' => channelName,
                'u' => who.UserName ?? "~user",
                'i' => who.Host,
                'h' => who.Host,
                's' => server,
                'n' => who.Nick,
                'f' => flags,
                'd' => "0",
                'l' => user.IdleSeconds.ToString(CultureInfo.InvariantCulture),
                'a' => "0", // no accounts on this server: WHOX's "not logged in"
                'o' => "n/a",
                _ => who.RealName ?? "",
            });
        }
        // Only the real name may contain spaces, and it comes last: Numeric writes the last field as trailing.
        output.Numeric(IrcNumerics.RplWhoSpcRpl, [.. fields]);
    }

    private static string Flags(ClientSession user, MemberStatus status, ClientSession asker)
    {
        var flags = new StringBuilder(4);
        flags.Append(user.AwayMessage is null ? 'H' : 'G');
        if (user.IsOperator)
            flags.Append('*');
        if (user.IsBot)
            flags.Append('B');
        flags.Append(Channel.PrefixFor(status, asker));
        return flags.ToString();
    }

    /// <summary>The WHOX request: which fields, and the token echoed back in field <c>t</c> (at most 3 digits).</summary>
    private readonly record struct Whox(string Fields, string Token)
    {
        public static Whox Parse(string text)
        {
            int comma = text.IndexOf(',');
            string fields = comma < 0 ? text : text[..comma];
            string token = comma < 0 ? "0" : text[(comma + 1)..];
            if (token.Length is 0 or > 3 || !token.All(char.IsAsciiDigit))
                token = "0";
            return new Whox(fields, token);
        }
    }
}
