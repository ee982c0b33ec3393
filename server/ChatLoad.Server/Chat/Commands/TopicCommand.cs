using System.Globalization;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>TOPIC #chan</c> reads the topic (331 or 332+333); <c>TOPIC #chan :text</c> sets it (members only; there are
/// no operators) and every member sees the TOPIC line. An empty text clears it.
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
        if (message.ParameterCount == 1)
        {
            if (channel.Topic is null)
                client.SendNumeric(IrcNumerics.RplNoTopic, channel.Name, "No topic is set");
            else
                TopicReply.SendIfSet(client, channel);
            return;
        }
        if (!client.Channels.Contains(channel))
        {
            client.SendNumeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
            return;
        }

        ClientIdentity identity = client.Identity;
        byte[] line = RelayedLine.Format(identity, "TOPIC", channel.Name, message[1]);
        ChannelTopic? topic = message[1].IsEmpty
            ? null
            : new ChannelTopic(Encoding.UTF8.GetString(message[1]), identity.PrefixText, client.Network.Time.GetUtcNow());
        int recipients = channel.SetTopic(topic, line);
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
