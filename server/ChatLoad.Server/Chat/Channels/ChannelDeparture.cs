using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>Leaving channels: one PART, all channels for <c>JOIN 0</c>, or all channels with one QUIT.</summary>
internal static class ChannelDeparture
{
    /// <summary>Leaves <paramref name="channel"/>; every member, the leaver included, gets <paramref name="notice"/>.</summary>
    public static void Part(ClientSession client, Channel channel, ref RelayedMessage notice)
    {
        ChatNetwork network = client.Network;
        if (!channel.Part(client, ref notice, out int recipients, out bool emptied))
            return;
        client.Channels.Remove(channel);
        if (emptied)
            network.Channels.RemoveRetired(channel);
        network.Metrics.LinesQueued(recipients);
    }

    /// <summary><c>JOIN 0</c>: parts every channel, as if PART had been sent for each.</summary>
    public static void PartAll(ClientSession client, string reason)
    {
        foreach (Membership membership in client.Channels.Snapshot)
        {
            var notice = new RelayedMessage(client.Network, RelayedLine.Format(client.Identity, "PART", membership.Channel.Name, reason), fromBot: client.IsBot);
            Part(client, membership.Channel, ref notice);
        }
    }

    /// <summary>
    /// Leaves every channel at once. Each other member gets one QUIT even when it shares several channels with
    /// the leaver. During shutdown nobody is told: every member is leaving too, and skipping the O(members²)
    /// fan-out keeps a shutdown of thousands of clients fast.
    /// </summary>
    public static void QuitAll(ClientSession client, string reason)
    {
        Membership[] memberships = client.Channels.Snapshot;
        if (memberships.Length == 0)
            return;
        ChatNetwork network = client.Network;
        bool announce = !network.IsShuttingDown;
        var quit = announce ? new RelayedMessage(network, RelayedLine.Format(client.Identity, "QUIT", null, reason), fromBot: client.IsBot) : default;

        int recipients = 0;
        if (memberships.Length == 1)
        {
            // The common case needs no de-duplication, hence no set of (possibly thousands of) members.
            Membership[]? before = Leave(client, memberships[0].Channel);
            if (before is not null && announce)
            {
                foreach (Membership member in before)
                {
                    if (!ReferenceEquals(member.Member, client))
                    {
                        member.Member.Deliver(ref quit);
                        recipients++;
                    }
                }
            }
        }
        else
        {
            var others = new HashSet<ClientSession>(ReferenceEqualityComparer.Instance);
            foreach (Membership membership in memberships)
            {
                Membership[]? before = Leave(client, membership.Channel);
                if (before is not null && announce)
                {
                    foreach (Membership member in before)
                        others.Add(member.Member);
                }
            }
            others.Remove(client);
            if (announce)
            {
                foreach (ClientSession member in others)
                    member.Deliver(ref quit);
                recipients = others.Count;
            }
        }
        client.Channels.Clear();
        network.Metrics.LinesQueued(recipients);
    }

    private static Membership[]? Leave(ClientSession client, Channel channel)
    {
        Membership[]? before = channel.Leave(client, out bool emptied);
        if (emptied)
            client.Network.Channels.RemoveRetired(channel);
        return before;
    }
}
