using System.Globalization;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>TOPIC #chan</c> reads the topic (331 or 332+333; a secret channel only for members); <c>TOPIC #chan :text</c>
/// sets it (members only, operators only under +t) and every member sees the TOPIC line. An empty text clears it;
/// a text past TOPICLEN is cut.
/// </summary>
internal sealed class TopicCommand : ICommandHandler
{
    public string Name => "TOPIC";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        Channel? channel = client.Network.Channels.Find(message[0]);
        if (channel is null)
        {
            client.SendNumeric(IrcNumerics.ErrNoSuchChannel, message.GetString(0), "No such channel");
            return;
        }
        Membership? membership = client.Channels.Find(channel);
        if (message.ParameterCount == 1)
        {
            if (channel.IsSecret && membership is null)
                client.SendNumeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
            else if (channel.Topic is null)
                client.SendNumeric(IrcNumerics.RplNoTopic, channel.Name, "No topic is set");
            else
                TopicReply.SendIfSet(client, channel);
            return;
        }
        if (membership is null)
        {
            client.SendNumeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
            return;
        }
        if ((channel.Modes & ChannelModes.TopicProtected) != 0 && !membership.IsOperator)
        {
            client.SendNumeric(IrcNumerics.ErrChanOPrivsNeeded, channel.Name, "You're not channel operator");
            return;
        }

        ClientIdentity identity = client.Identity;
        string text = message.GetString(1);
        int limit = client.Network.Options.TopicLength;
        if (text.Length > limit)
            text = text[..limit];
        var notice = new RelayedMessage(client.Network, RelayedLine.Format(identity, "TOPIC", channel.Name, text), fromBot: client.IsBot);
        ChannelTopic? topic = text.Length == 0 ? null : new ChannelTopic(text, identity.PrefixText, client.Network.Time.GetUtcNow());
        int recipients = channel.SetTopic(client, topic, ref notice);
        client.Network.Metrics.LinesQueued(recipients);
    }
}

/// <summary>332 RPL_TOPIC and 333 RPL_TOPICWHOTIME, when the channel has a topic.</summary>
internal static class TopicReply
{
    public static void SendIfSet(ClientSession client, Channel channel)
    {
        ChannelTopic? topic = channel.Topic;
        if (topic is null)
            return;
        client.SendNumeric(IrcNumerics.RplTopic, channel.Name, topic.Text);
        client.SendNumeric(IrcNumerics.RplTopicWhoTime, channel.Name, topic.SetBy,
            topic.SetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }
}
