using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary>
/// <c>JOIN #a,#b [key1,key2]</c> and <c>JOIN 0</c> (leave all). The joiner gets JOIN, then 332/333 when there is
/// a topic, then 353/366; the other members get the JOIN (with account and real name for extended-join). The
/// creator of a channel becomes its operator. Bans (+b without +e), +i (without an invitation or +I), +k and +l
/// are refused with 474, 473, 475 and 471; an invitation passes all four once. Each channel joined takes one from
/// the client's join/part budget (<see cref="ChannelRate"/>); creating a channel past the server's MaxChannels gets
/// 437.
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
        var keys = new CommaList(message.ParameterCount > 1 ? message[1] : default);
        foreach (ReadOnlySpan<byte> name in new CommaList(message[0]))
        {
            string? key = keys.MoveNext() ? Encoding.UTF8.GetString(keys.Current) : null;
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
            Join(client, existing, name, key);
        }
    }

    private static void Join(ClientSession client, Channel? channel, ReadOnlySpan<byte> name, string? key)
    {
        ChatNetwork network = client.Network;
        string? nameText = null;
        while (true)
        {
            channel ??= network.Channels.GetOrCreate(nameText ??= Encoding.UTF8.GetString(name), network.Time.GetUtcNow());
            if (channel is null)
            {
                network.Metrics.LimitRefused();
                client.SendNumeric(IrcNumerics.ErrUnavailResource, nameText!,
                    $"Cannot create the channel: the server holds its limit of {network.Channels.Limit} channels");
                return;
            }
            ClientIdentity identity = client.Identity;
            var join = new RelayedMessage(network, RelayedLine.Format(identity, "JOIN", channel.Name), fromBot: client.IsBot);
            // extended-join: "JOIN #chan <account> :<real name>"; nobody has an account here, hence "*".
            var extendedJoin = new RelayedMessage(network,
                RelayedLine.FormatParameters(identity, "JOIN", channel.Name, "*", identity.RealName is { Length: > 0 } real ? real : "*"),
                fromBot: client.IsBot);
            bool invited = client.Invites.Contains(channel.Name);
            switch (channel.TryJoin(client, key, invited, ref join, ref extendedJoin, out Membership? membership, out Membership[] others))
            {
                case JoinOutcome.Joined:
                    if (invited)
                        client.Invites.Remove(channel.Name);
                    if (client.HasDeparted)
                    {
                        // A transport that reports a disconnect from inside Send could have run the departure
                        // while we were joining; do not leave a member behind that nobody will ever remove.
                        if (channel.Leave(client, out bool emptied) is not null && emptied)
                            network.Channels.RemoveRetired(channel);
                        client.Channels.Remove(channel);
                        return;
                    }
                    TopicReply.SendIfSet(client, channel);
                    NamesReply.SendTo(client, channel);
                    // The others hear of it after the joiner has its answer (see Channel.TryJoin).
                    network.Metrics.LinesQueued(1 + Channel.AnnounceJoin(others, ref join, ref extendedJoin));
                    AnnounceAway(client, channel);
                    return;
                case JoinOutcome.AlreadyMember:
                    return;
                case JoinOutcome.Retired:
                    // It emptied while we looked it up; make sure it is gone and create a fresh one.
                    network.Channels.RemoveRetired(channel);
                    channel = null;
                    break;
                case JoinOutcome.Banned:
                    client.SendNumeric(IrcNumerics.ErrBannedFromChan, channel.Name, "Cannot join channel (+b)");
                    return;
                case JoinOutcome.InviteOnly:
                    client.SendNumeric(IrcNumerics.ErrInviteOnlyChan, channel.Name, "Cannot join channel (+i)");
                    return;
                case JoinOutcome.BadKey:
                    client.SendNumeric(IrcNumerics.ErrBadChannelKey, channel.Name, "Cannot join channel (+k)");
                    return;
                case JoinOutcome.Full:
                    client.SendNumeric(IrcNumerics.ErrChannelIsFull, channel.Name, "Cannot join channel (+l)");
                    return;
            }
        }
    }

    // away-notify: members that asked learn at once that the newcomer is away.
    private static void AnnounceAway(ClientSession client, Channel channel)
    {
        if (client.AwayMessage is not { } away)
            return;
        var notice = new RelayedMessage(client.Network, RelayedLine.Format(client.Identity, "AWAY", null, away), fromBot: client.IsBot);
        foreach (Membership member in channel.Members)
        {
            if (!ReferenceEquals(member.Member, client) && member.Member.Has(ClientCapabilities.AwayNotify))
                member.Member.Deliver(ref notice);
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
