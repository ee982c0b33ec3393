using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>JOIN #a,#b</c> (keys are ignored: channels have no modes) and <c>JOIN 0</c> (leave all). The joiner gets
/// JOIN, then 332/333 when there is a topic, then 353/366; the other members get the JOIN. Each channel joined takes
/// one from the client's join/part budget (<see cref="ChannelRate"/>); creating a channel past the server's
/// MaxChannels gets 437.
/// </summary>
internal sealed class JoinCommand : ICommandHandler
{
    public string Name => "JOIN";
    public CommandRules Rules => new(MinimumParameters: 1);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (message[0].SequenceEqual("0"u8))
        {
            if (ChannelRate.TryTake(client, Name))
                ChannelDeparture.PartAll(client, "Left all channels");
            return;
        }

        var options = client.Network.Options;
        foreach (ReadOnlySpan<byte> name in new CommaList(message[0]))
        {
            if (!IrcNameRules.IsValidChannelName(name, options.ChannelLength))
            {
                client.SendNumeric(IrcNumerics.ErrNoSuchChannel, Encoding.UTF8.GetString(name), "No such channel");
                continue;
            }
            Channel? existing = client.Network.Channels.Find(name);
            if (existing is not null && client.Channels.Contains(existing))
                continue; // already there: servers ignore a repeated JOIN
            if (client.Channels.Count >= options.MaxChannelsPerClient)
            {
                client.SendNumeric(IrcNumerics.ErrTooManyChannels, Encoding.UTF8.GetString(name), "You have joined too many channels");
                continue;
            }
            if (!ChannelRate.TryTake(client, Name))
                return; // one 263 for the rest of the list, not one per channel
            Join(client, existing, name);
        }
    }

    private static void Join(ClientSession client, Channel? channel, ReadOnlySpan<byte> name)
    {
        ChatNetwork network = client.Network;
        string? nameText = null;
        while (true)
        {
            channel ??= network.Channels.GetOrCreate(nameText ??= Encoding.UTF8.GetString(name));
            if (channel is null)
            {
                network.Metrics.LimitRefused();
                client.SendNumeric(IrcNumerics.ErrUnavailResource, nameText!,
                    $"Cannot create the channel: the server holds its limit of {network.Channels.Limit} channels");
                return;
            }
            byte[] joinLine = RelayedLine.Format(client.Identity, "JOIN", channel.Name);
            switch (channel.TryJoin(client, joinLine, out int recipients))
            {
                case JoinOutcome.Joined:
                    network.Metrics.LinesQueued(recipients);
                    if (client.HasDeparted)
                    {
                        // A transport that reports a disconnect from inside Send could have run the departure
                        // while we were joining; do not leave a member behind that nobody will ever remove.
                        if (channel.Remove(client, ReadOnlyMemory<byte>.Empty, out _, out bool emptied) is not null && emptied)
                            network.Channels.RemoveRetired(channel);
                        return;
                    }
                    client.Channels.Add(channel);
                    TopicReply.SendIfSet(client, channel);
                    NamesReply.SendTo(client, channel);
                    return;
                case JoinOutcome.AlreadyMember:
                    return;
                case JoinOutcome.Retired:
                    // It emptied while we looked it up; make sure it is gone and create a fresh one.
                    network.Channels.RemoveRetired(channel);
                    channel = null;
                    break;
            }
        }
    }
}

/// <summary>
/// The per-client JOIN/PART budget (JoinPartBurst, JoinPartInterval): past it the command gets 263 RPL_TRYAGAIN
/// (RFC 2812: a server that drops a command without processing it says so with 263) and is not carried out.
/// </summary>
internal static class ChannelRate
{
    public static bool TryTake(ClientSession client, string command)
    {
        if (client.JoinsAndParts.TryTake(client.Network.Time.GetTimestamp(), out TimeSpan retryAfter))
            return true;
        client.Network.Metrics.LimitRefused();
        client.SendNumeric(IrcNumerics.RplTryAgain, command,
            $"Please wait a while and try again ({Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s: too many joins and parts)");
        return false;
    }
}
