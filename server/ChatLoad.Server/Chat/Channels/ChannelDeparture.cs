using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>Leaving channels: one PART, all channels for <c>JOIN 0</c>, or all channels with one QUIT.</summary>
internal static class ChannelDeparture
{
    /// <summary>Leaves <paramref name="channel"/>; every member, the leaver included, gets <paramref name="partLine"/>.</summary>
    public static void Part(ClientSession client, Channel channel, ReadOnlyMemory<byte> partLine)
    {
        ChatNetwork network = client.Network;
        if (channel.Remove(client, partLine, out int recipients, out bool emptied) is null)
            return;
        client.Channels.Remove(channel);
        if (emptied)
            network.Channels.RemoveRetired(channel);
        network.Metrics.LinesQueued(recipients);
    }

    /// <summary><c>JOIN 0</c>: parts every channel, as if PART had been sent for each.</summary>
    public static void PartAll(ClientSession client, string reason)
    {
        foreach (Channel channel in client.Channels.ToArray())
            Part(client, channel, RelayedLine.Format(client.Identity, "PART", channel.Name, reason));
    }

    /// <summary>
    /// Leaves every channel at once. Each other member gets one QUIT even when it shares several channels with
    /// the leaver. During shutdown nobody is told: every member is leaving too, and skipping the O(members²)
    /// fan-out keeps a shutdown of thousands of clients fast.
    /// </summary>
    public static void QuitAll(ClientSession client, string reason)
    {
        List<Channel> channels = client.Channels;
        if (channels.Count == 0)
            return;
        ChatNetwork network = client.Network;
        byte[]? quitLine = network.IsShuttingDown ? null : RelayedLine.Format(client.Identity, "QUIT", null, reason);

        int recipients = 0;
        if (channels.Count == 1)
        {
            // The common case needs no de-duplication, hence no set of (possibly thousands of) members.
            ClientSession[]? before = Leave(client, channels[0]);
            if (before is not null && quitLine is not null)
            {
                foreach (ClientSession member in before)
                {
                    if (!ReferenceEquals(member, client))
                    {
                        member.Connection.Send(quitLine);
                        recipients++;
                    }
                }
            }
        }
        else
        {
            var others = new HashSet<ClientSession>(ReferenceEqualityComparer.Instance);
            foreach (Channel channel in channels)
            {
                ClientSession[]? before = Leave(client, channel);
                if (before is not null && quitLine is not null)
                    others.UnionWith(before);
            }
            others.Remove(client);
            if (quitLine is not null)
            {
                foreach (ClientSession member in others)
                    member.Connection.Send(quitLine);
                recipients = others.Count;
            }
        }
        channels.Clear();
        network.Metrics.LinesQueued(recipients);
    }

    private static ClientSession[]? Leave(ClientSession client, Channel channel)
    {
        ClientSession[]? before = channel.Remove(client, ReadOnlyMemory<byte>.Empty, out _, out bool emptied);
        if (emptied)
            client.Network.Channels.RemoveRetired(channel);
        return before;
    }
}
