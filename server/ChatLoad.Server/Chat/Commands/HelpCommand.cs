using System.Collections.Frozen;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>HELP [subject]</c> (and <c>HELPOP</c>, its older name): 704, 705..., 706 with a short description of a
/// command, or the list of commands without a subject; 524 for an unknown subject.
/// </summary>
internal sealed class HelpCommand(string name) : ICommandHandler
{
    private static readonly FrozenDictionary<string, string[]> Topics = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["AWAY"] = ["AWAY [:message]", "Marks you away with a message, or back without one."],
        ["CAP"] = ["CAP LS [302] | REQ :caps | LIST | END", "IRCv3 capability negotiation."],
        ["HELP"] = ["HELP [subject]", "Shows help on a command, or the list of commands."],
        ["INFO"] = ["INFO", "Describes this server."],
        ["INVITE"] = ["INVITE <nick> <#channel>", "Invites a user; without parameters, lists your invitations."],
        ["ISON"] = ["ISON <nick> [<nick> ...]", "Tells which of the nicks are online."],
        ["JOIN"] = ["JOIN <#channel>[,<#channel>] [<key>[,<key>]]", "Joins channels; JOIN 0 leaves them all."],
        ["KICK"] = ["KICK <#channel> <nick> [:reason]", "Removes a user from a channel (channel operators)."],
        ["KILL"] = ["KILL <nick> :<reason>", "Disconnects a user (IRC operators)."],
        ["LIST"] = ["LIST [#mask | !mask | >n | <n]", "Lists channels, with their user counts and topics."],
        ["LUSERS"] = ["LUSERS", "Shows how many users, operators and channels there are."],
        ["MODE"] = ["MODE <#channel|nick> [<modes> [<parameters>]]", "Channel modes: b e I k l i m n s t o v. User modes: i w B (o by OPER)."],
        ["MONITOR"] = ["MONITOR + nicks | - nicks | C | L | S", "Tells you when the nicks come online or leave."],
        ["MOTD"] = ["MOTD", "Shows the message of the day."],
        ["NAMES"] = ["NAMES <#channel>[,<#channel>]", "Lists a channel's members."],
        ["NICK"] = ["NICK <nick>", "Sets or changes your nick."],
        ["NOTICE"] = ["NOTICE <target> :<text>", "Like PRIVMSG, but never answered automatically."],
        ["OPER"] = ["OPER <name> <password>", "Makes you an IRC operator."],
        ["PART"] = ["PART <#channel>[,<#channel>] [:reason]", "Leaves channels."],
        ["PING"] = ["PING <token>", "The server answers PONG with the token."],
        ["PRIVMSG"] = ["PRIVMSG <target>[,<target>] :<text>", "Sends a message to channels or users."],
        ["QUIT"] = ["QUIT [:reason]", "Disconnects."],
        ["SETNAME"] = ["SETNAME :<real name>", "Changes your real name."],
        ["TAGMSG"] = ["TAGMSG <target>", "Sends only message tags (IRCv3 message-tags)."],
        ["TIME"] = ["TIME", "Shows the server's time."],
        ["TOPIC"] = ["TOPIC <#channel> [:topic]", "Shows or sets a channel's topic."],
        ["USERHOST"] = ["USERHOST <nick> [<nick> ...]", "Shows users' user@host."],
        ["VERSION"] = ["VERSION", "Shows the server's version and 005 tokens."],
        ["WALLOPS"] = ["WALLOPS :<text>", "Sends to every user with mode +w (IRC operators)."],
        ["WHO"] = ["WHO <mask|#channel> [o] [%fields[,token]]", "Lists matching users (WHOX fields: tcuihsnfdlaor)."],
        ["WHOIS"] = ["WHOIS [server] <nick>", "Shows who a user is."],
        ["WHOWAS"] = ["WHOWAS <nick> [count]", "Shows who used a nick recently."],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public string Name { get; } = name;
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string subject = message.ParameterCount > 0 && !message[0].IsEmpty ? message.GetString(0) : "*";
        string[] lines;
        if (subject == "*")
            lines = ["Commands (HELP <command> for more):", string.Join(' ', Topics.Keys.Order(StringComparer.Ordinal))];
        else if (!Topics.TryGetValue(subject, out lines!))
        {
            client.SendNumeric(IrcNumerics.ErrHelpNotFound, subject, "No help available on this topic");
            return;
        }
        var output = new ReplyBuffer(client);
        output.Numeric(IrcNumerics.RplHelpStart, subject, lines[0]);
        for (int i = 1; i < lines.Length; i++)
            output.Numeric(IrcNumerics.RplHelpTxt, subject, lines[i]);
        output.Numeric(IrcNumerics.RplEndOfHelp, subject, "End of /HELP");
        output.Send();
    }
}
