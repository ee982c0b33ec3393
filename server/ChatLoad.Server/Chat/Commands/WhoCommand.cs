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
/// REVIEW: the reply goes out in one Send; <c>WHO *</c> on a server with thousands of visible users is more than
/// SendQueueBytes and the asker is dropped for SendQ exceeded. Replies paced by the transport's backpressure (the
/// transports work) or a named cap on reply lines would keep such a client connected.
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
        var output = new ReplyBuffer(client);
        if (mask[0] == '#')
        {
            Channel? channel = network.Channels.Find(mask);
            bool isMember = channel is not null && client.Channels.Contains(channel);
            if (channel is not null && (!channel.IsSecret || isMember))
            {
                foreach (Membership member in channel.Members)
                {
                    if (!isMember && (member.Member.Modes & UserModes.Invisible) != 0)
                        continue;
                    if (!operatorsOnly || member.Member.IsOperator)
                        WriteEntry(output, client, member.Member, channel, member.Status, whox);
                }
            }
        }
        else if (!IrcMask.HasWildcards(mask) && mask != "0")
        {
            if (network.Nicks.FindUser(mask) is { } holder && (!operatorsOnly || holder.IsOperator))
                WriteEntry(output, client, holder, null, MemberStatus.None, whox);
        }
        else
        {
            bool everyone = mask is "*" or "0";
            foreach (ClientSession user in network.Nicks.Holders)
            {
                if (!user.IsRegistered || (operatorsOnly && !user.IsOperator))
                    continue;
                if (!ReferenceEquals(user, client) && (user.Modes & UserModes.Invisible) != 0 && !ChannelPeers.Share(client, user))
                    continue;
                if (everyone || Matches(mask, user.Identity, network.ServerName))
                    WriteEntry(output, client, user, null, MemberStatus.None, whox);
            }
        }

        output.Numeric(IrcNumerics.RplEndOfWho, mask, "End of /WHO list.");
        output.Send();
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
