using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary><c>PART #a,#b [:reason]</c>: every member of each channel, the leaver included, sees the PART. Each
/// channel left takes one from the join/part budget (<see cref="ChannelRate"/>).</summary>
internal sealed class PartCommand : ICommandHandler
{
    public string Name => "PART";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        ReadOnlySpan<byte> reason = message.ParameterCount > 1 ? message[1] : default;
        foreach (ReadOnlySpan<byte> name in new CommaList(message[0]))
        {
            Channel? channel = client.Network.Channels.Find(name);
            if (channel is null)
            {
                client.SendNumeric(IrcNumerics.ErrNoSuchChannel, Encoding.UTF8.GetString(name), "No such channel");
                continue;
            }
            if (!client.Channels.Contains(channel))
            {
                client.SendNumeric(IrcNumerics.ErrNotOnChannel, channel.Name, "You're not on that channel");
                continue;
            }
            if (!ChannelRate.TryTake(client, Name))
                return;
            var notice = new RelayedMessage(client.Network, reason.IsEmpty
                ? RelayedLine.Format(client.Identity, "PART", channel.Name)
                : RelayedLine.Format(client.Identity, "PART", channel.Name, reason), fromBot: client.IsBot);
            ChannelDeparture.Part(client, channel, ref notice);
        }
    }
}
