using System.Globalization;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>WHOIS [server] nick</c>: 311 user, 319 channels (with prefixes, split over lines as needed), 312 server,
/// 313 operator, 301 away, 335 bot, 317 idle and signon, then 318; an unknown nick gets 401 then 318.
/// A channel is listed only when the asker could see it: not secret, and the target not invisible (+i), unless
/// the asker is in that channel too.
/// </summary>
internal sealed class WhoisCommand : ICommandHandler
{
    /// <summary>The text of 312, naming what runs here.</summary>
    public const string ServerInfo = "ChatLoad IRC server";

    public string Name => "WHOIS";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        // "WHOIS server nick" and "WHOIS nick nick" (ask the target's server) both name the nick last.
        ReadOnlySpan<byte> nicks = message[message.ParameterCount >= 2 ? 1 : 0];
        if (nicks.IsEmpty)
        {
            client.SendNumeric(IrcNumerics.ErrNoNicknameGiven, "No nickname given");
            return;
        }
        var output = new ReplyBuffer(client);
        int first = nicks.IndexOf((byte)',');
        ReadOnlySpan<byte> nick = first < 0 ? nicks : nicks[..first]; // one target per WHOIS, as most servers do
        string asked = Encoding.UTF8.GetString(nick);
        ClientSession? target = client.Network.Nicks.FindUser(nick);
        if (target is null)
            output.Numeric(IrcNumerics.ErrNoSuchNick, asked, "No such nick/channel");
        else
            WriteUser(output, client, target);
        output.Numeric(IrcNumerics.RplEndOfWhois, target?.Identity.Nick ?? asked, "End of /WHOIS list");
        output.Send();
    }

    private static void WriteUser(ReplyBuffer output, ClientSession asker, ClientSession target)
    {
        ClientIdentity who = target.Identity;
        string nick = who.NickOrStar;
        ChatNetwork network = asker.Network;
        output.Numeric(IrcNumerics.RplWhoisUser, nick, who.UserName ?? "~user", who.Host, "*", who.RealName ?? "");

        output.StartWords(IrcNumerics.RplWhoisChannels, nick);
        bool invisible = (target.Modes & Users.UserModes.Invisible) != 0;
        foreach (Membership membership in target.Channels)
        {
            Channel channel = membership.Channel;
            bool askerIsIn = ReferenceEquals(asker, target) || asker.Channels.Contains(channel);
            if ((channel.IsSecret || invisible) && !askerIsIn)
                continue;
            output.Word(Encoding.ASCII.GetBytes(Channel.PrefixFor(membership.Status, asker)), Encoding.UTF8.GetBytes(channel.Name));
        }
        output.EndWords();

        output.Numeric(IrcNumerics.RplWhoisServer, nick, network.ServerName, ServerInfo);
        if (target.IsOperator)
            output.Numeric(IrcNumerics.RplWhoisOperator, nick, "is an IRC operator");
        if (target.AwayMessage is { } away)
            output.Numeric(IrcNumerics.RplAway, nick, away);
        if (target.IsBot)
            output.Numeric(IrcNumerics.RplWhoisBot, nick, $"is a Bot on {network.Options.NetworkName}");
        output.Numeric(IrcNumerics.RplWhoisIdle, nick, Number(target.IdleSeconds), Number(target.SignedOnAt.ToUnixTimeSeconds()),
            "seconds idle, signon time");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
