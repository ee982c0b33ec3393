using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>NICK name</c>: claims a nick before registration, or changes it after; then everyone who shares a channel
/// with the client (and the client itself) sees <c>:old!user@host NICK :new</c> once. Changes after registration
/// are rate-limited (NickChangeBurst, NickChangeInterval): past the budget, 438 and no change.
/// </summary>
internal sealed class NickCommand : ICommandHandler
{
    public string Name => "NICK";
    public CommandRules Rules => new(AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message.ParameterCount == 0 || message[0].IsEmpty)
        {
            client.SendNumeric(IrcNumerics.ErrNoNicknameGiven, "No nickname given");
            return;
        }
        ReadOnlySpan<byte> requested = message[0];
        if (!IrcNameRules.IsValidNick(requested, client.Network.Options.NickLength))
        {
            client.SendNumeric(IrcNumerics.ErrErroneousNickname, message.GetString(0), "Erroneous nickname");
            return;
        }

        string newNick = Encoding.ASCII.GetString(requested); // valid nicks are ASCII
        ClientIdentity before = client.Identity;
        if (before.Nick == newNick)
            return; // no change at all: nothing to tell anyone
        if (client.IsRegistered && !client.NickChanges.TryTake(client.Network.Time.GetTimestamp(), out TimeSpan retryAfter))
        {
            // ircd-hybrid's anti_nick_flood: every change reaches every member of every channel the client is in.
            client.Network.Metrics.LimitRefused();
            client.SendNumeric(IrcNumerics.ErrNickTooFast, newNick,
                $"Nick change too fast. Please wait {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds");
            return;
        }
        if (!client.Network.Nicks.TryChange(before.Nick, newNick, client))
        {
            client.SendNumeric(IrcNumerics.ErrNicknameInUse, newNick, "Nickname is already in use");
            return;
        }

        client.Identity = before.WithNick(newNick);
        if (client.IsRegistered)
            AnnounceChange(client, before, newNick);
        else
            client.Registration.TryComplete(client);
    }

    private static void AnnounceChange(ClientSession client, ClientIdentity before, string newNick)
    {
        ChatNetwork network = client.Network;
        var notice = new RelayedMessage(network, RelayedLine.Format(before, "NICK", null, newNick), fromBot: client.IsBot);
        client.Echo(ref notice);
        HashSet<ClientSession> peers = ChannelPeers.Of(client);
        foreach (ClientSession peer in peers)
            peer.Deliver(ref notice);
        network.Metrics.LinesQueued(peers.Count);

        // The new nick may match (or stop matching) a ban: re-check the cached state in each channel.
        foreach (Membership membership in client.Channels)
            membership.Channel.RefreshBan(client);
        network.Whowas.Record(client.WhowasEntryOf(before));
        if (!IrcCaseMapping.Rfc1459.Equals(before.Nick, newNick))
        {
            network.Monitors.OnSignedOff(before);
            network.Monitors.OnSignedOn(client);
        }
    }
}
