using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>AWAY :message</c> marks the client away (306), <c>AWAY</c> or <c>AWAY :</c> back (305). Others then see 301
/// when they message it or WHOIS it, and <c>G</c> in WHO; channel peers with away-notify see the AWAY line.
/// </summary>
internal sealed class AwayCommand : ICommandHandler
{
    public string Name => "AWAY";
    public CommandRules Rules => new();

    public void Handle(ClientSession client, in IrcMessage message)
    {
        string? text = message.ParameterCount > 0 && !message[0].IsEmpty ? message.GetString(0) : null;
        int limit = client.Network.Options.AwayLength;
        if (text is not null && text.Length > limit)
            text = text[..limit];

        client.AwayMessage = text;
        if (text is null)
            client.SendNumeric(IrcNumerics.RplUnAway, "You are no longer marked as being away");
        else
            client.SendNumeric(IrcNumerics.RplNowAway, "You have been marked as being away");
        Notify(client, text);
    }

    /// <summary>away-notify: <c>:nick!user@host AWAY [:message]</c> to channel peers (and extended-monitor watchers) that asked for it.</summary>
    public static void Notify(ClientSession client, string? text)
    {
        byte[] line = text is null
            ? RelayedLine.Format(client.Identity, "AWAY")
            : RelayedLine.Format(client.Identity, "AWAY", null, text);
        var message = new RelayedMessage(client.Network, line, fromBot: client.IsBot);
        HashSet<ClientSession> audience = ChannelPeers.InterestedIn(client, ClientCapabilities.AwayNotify);
        foreach (ClientSession peer in audience)
            peer.Deliver(ref message);
        client.Network.Metrics.LinesQueued(audience.Count);
    }
}
