using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// IRCv3 <c>SETNAME :new real name</c>: changes the real name (cut like USER's); the client and every channel peer
/// (and extended-monitor watcher) that negotiated setname sees <c>:nick!user@host SETNAME :new real name</c>.
/// </summary>
internal sealed class SetnameCommand : ICommandHandler
{
    public string Name => "SETNAME";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string realName = UserCommand.CleanRealName(message.GetString(0));
        if (realName.Length == 0)
        {
            client.SendNumeric(IrcNumerics.ErrNeedMoreParams, Name, "Not enough parameters");
            return;
        }
        client.Identity = client.Identity.WithRealName(realName);
        var notice = new RelayedMessage(client.Network, RelayedLine.Format(client.Identity, "SETNAME", null, realName), fromBot: client.IsBot);
        if (client.Has(ClientCapabilities.Setname))
            client.Echo(ref notice);
        HashSet<ClientSession> audience = ChannelPeers.InterestedIn(client, ClientCapabilities.Setname);
        foreach (ClientSession peer in audience)
            peer.Deliver(ref notice);
        client.Network.Metrics.LinesQueued(audience.Count);
    }
}
