using System.Globalization;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Chat.Users;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>WHOWAS nick [count]</c>: for each remembered holder of the nick, newest first, 314 and 312; then 369. None
/// remembered: 406 then 369. A count that is not positive means all (RFC 2812 §3.6.3).
/// </summary>
internal sealed class WhowasCommand : ICommandHandler
{
    public string Name => "WHOWAS";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string nick = message.GetString(0);
        if (nick.Length == 0)
        {
            client.SendNumeric(IrcNumerics.ErrNoNicknameGiven, "No nickname given");
            return;
        }
        int limit = int.MaxValue;
        if (message.ParameterCount > 1 && int.TryParse(message.GetString(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count) && count > 0)
            limit = count;

        ChatNetwork network = client.Network;
        List<WhowasEntry> entries = network.Whowas.Find(nick, limit);
        var output = new ReplyBuffer(client);
        if (entries.Count == 0)
            output.Numeric(IrcNumerics.ErrWasNoSuchNick, nick, "There was no such nickname");
        foreach (WhowasEntry entry in entries)
        {
            output.Numeric(IrcNumerics.RplWhowasUser, entry.Nick, entry.UserName, entry.Host, "*", entry.RealName);
            output.Numeric(IrcNumerics.RplWhoisServer, entry.Nick, network.ServerName, entry.LeftAt.UtcDateTime.ToString("R", CultureInfo.InvariantCulture));
        }
        output.Numeric(IrcNumerics.RplEndOfWhowas, nick, "End of WHOWAS");
        output.Send();
    }
}
