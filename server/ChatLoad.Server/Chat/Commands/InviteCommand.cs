using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>INVITE nick #chan</c>: members may invite (operators only under +i: 482), not someone already there (443).
/// The inviter gets 341, the invitee <c>:inviter INVITE nick #chan</c> and may then join once past +i, +l, +k and
/// bans; members with invite-notify see the INVITE too, and 301 tells the inviter when the invitee is away.
/// <c>INVITE</c> alone lists one's pending invitations (336, 337).
/// </summary>
internal sealed class InviteCommand : ICommandHandler
{
    public string Name => "INVITE";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0)
        {
            var list = new ReplyBuffer(client);
            foreach (string pending in client.Invites.Snapshot())
                list.Numeric(IrcNumerics.RplInviteList, pending);
            list.Numeric(IrcNumerics.RplEndOfInviteList, "End of /INVITE list");
            list.Send();
            return;
        }
        if (message.ParameterCount < 2)
        {
            client.SendNumeric(IrcNumerics.ErrNeedMoreParams, Name, "Not enough parameters");
            return;
        }

        ChatNetwork network = client.Network;
        ClientSession? target = network.Nicks.FindUser(message[0]);
        if (target is null)
        {
            client.SendNumeric(IrcNumerics.ErrNoSuchNick, message.GetString(0), "No such nick/channel");
            return;
        }
        Channel? channel = network.Channels.Find(message[1]);
        if (channel is null)
        {
            client.SendNumeric(IrcNumerics.ErrNoSuchChannel, message.GetString(1), "No such channel");
            return;
        }
        Membership? membership = client.Channels.Find(channel);
        if (membership is null)
        {
            client.SendNumeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
            return;
        }
        if ((channel.Modes & ChannelModes.InviteOnly) != 0 && !membership.IsOperator)
        {
            client.SendNumeric(IrcNumerics.ErrChanOPrivsNeeded, channel.Name, "You're not channel operator");
            return;
        }
        string nick = target.Identity.NickOrStar;
        if (target.Channels.Contains(channel))
        {
            client.SendNumeric(IrcNumerics.ErrUserOnChannel, nick, channel.Name, "is already on channel");
            return;
        }

        target.Invites.Add(channel.Name, network.Options.MaxChannelsPerClient);
        client.SendNumeric(IrcNumerics.RplInviting, nick, channel.Name);
        if (target.AwayMessage is { } away)
            client.SendNumeric(IrcNumerics.RplAway, nick, away);
        var notice = new RelayedMessage(network, RelayedLine.FormatParameters(client.Identity, "INVITE", nick, channel.Name), fromBot: client.IsBot);
        target.Deliver(ref notice);
        int recipients = 1;
        foreach (Membership member in channel.Members)
        {
            // invite-notify: the channel's other members who asked see it (operators, as ergo does under +i).
            if (ReferenceEquals(member.Member, client) || !member.Member.Has(ClientCapabilities.InviteNotify))
                continue;
            if ((channel.Modes & ChannelModes.InviteOnly) != 0 && !member.IsOperator)
                continue;
            member.Member.Deliver(ref notice);
            recipients++;
        }
        network.Metrics.LinesQueued(recipients);
    }
}
