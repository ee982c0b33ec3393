using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>KICK #chan nick[,nick] [:reason]</c> (or <c>#a,#b nick1,nick2</c>, pairwise; at most MaxTargets): channel operators only (482;
/// 442 for a non-member, 403 for no such channel, 441 when the target is not in it). Every member, the target
/// included, sees one KICK per target; the reason defaults to the kicker's nick and is cut at KICKLEN.
/// </summary>
internal sealed class KickCommand : ICommandHandler
{
    public string Name => "KICK";
    public CommandRules Rules => new(MinimumParameters: 2);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        var channels = new List<string>();
        foreach (ReadOnlySpan<byte> name in new CommaList(message[0]))
            channels.Add(Encoding.UTF8.GetString(name));
        var nicks = new List<string>();
        foreach (ReadOnlySpan<byte> nick in new CommaList(message[1]))
            nicks.Add(Encoding.UTF8.GetString(nick));
        if (channels.Count == 0 || nicks.Count == 0 || (channels.Count > 1 && channels.Count != nicks.Count))
        {
            client.SendNumeric(IrcNumerics.ErrNeedMoreParams, Name, "Not enough parameters");
            return;
        }

        string reason = message.ParameterCount > 2 && !message[2].IsEmpty ? message.GetString(2) : client.Identity.NickOrStar;
        int limit = client.Network.Options.KickLength;
        if (reason.Length > limit)
            reason = reason[..limit];
        // TARGMAX KICK: targets past MaxTargets are dropped, as 005 says.
        for (int i = 0; i < Math.Min(nicks.Count, client.Network.Limits.MaxTargets); i++)
            Kick(client, channels.Count == 1 ? channels[0] : channels[i], nicks[i], reason);
    }

    private static void Kick(ClientSession client, string channelName, string nick, string reason)
    {
        ChatNetwork network = client.Network;
        Channel? channel = network.Channels.Find(channelName);
        if (channel is null)
        {
            client.SendNumeric(IrcNumerics.ErrNoSuchChannel, channelName, "No such channel");
            return;
        }
        Membership? membership = client.Channels.Find(channel);
        if (membership is null)
        {
            client.SendNumeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
            return;
        }
        if (!membership.IsOperator)
        {
            client.SendNumeric(IrcNumerics.ErrChanOPrivsNeeded, channel.Name, "You're not channel operator");
            return;
        }
        ClientSession? target = network.Nicks.FindUser(nick);
        string targetNick = target?.Identity.Nick ?? nick;
        var notice = new RelayedMessage(network, RelayedLine.FormatWithTrailing(client.Identity, "KICK", [channel.Name, targetNick], reason), fromBot: client.IsBot);
        if (target is null || !channel.Kick(client, target, ref notice, out int recipients, out bool emptied))
        {
            client.SendNumeric(IrcNumerics.ErrUserNotInChannel, targetNick, channel.Name, "They aren't on that channel");
            return;
        }
        if (emptied)
            network.Channels.RemoveRetired(channel);
        network.Metrics.LinesQueued(recipients);
    }
}
