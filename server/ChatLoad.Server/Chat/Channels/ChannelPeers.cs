using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>
/// Everyone who shares at least one channel with a client, each once: the audience of NICK, AWAY (away-notify),
/// SETNAME and QUIT-like notices that are not tied to one channel.
/// </summary>
internal static class ChannelPeers
{
    /// <summary>The other members of <paramref name="client"/>'s channels (not the client itself).</summary>
    public static HashSet<ClientSession> Of(ClientSession client)
    {
        var peers = new HashSet<ClientSession>(ReferenceEqualityComparer.Instance);
        foreach (Membership membership in client.Channels)
        {
            foreach (Membership member in membership.Channel.Members)
                peers.Add(member.Member);
        }
        peers.Remove(client);
        return peers;
    }

    /// <summary>
    /// Who should hear about a change to <paramref name="client"/> that <paramref name="capability"/> announces
    /// (AWAY with away-notify, SETNAME with setname): channel peers that enabled it, plus — extended-monitor —
    /// clients that MONITOR it and enabled both. Each once, never the client itself.
    /// </summary>
    public static HashSet<ClientSession> InterestedIn(ClientSession client, ClientCapabilities capability)
    {
        HashSet<ClientSession> audience = Of(client);
        audience.RemoveWhere(peer => !peer.Has(capability));
        foreach (ClientSession watcher in client.Network.Monitors.WatchersOf(client.Identity.Nick))
        {
            if (!ReferenceEquals(watcher, client) && watcher.Has(capability | ClientCapabilities.ExtendedMonitor))
                audience.Add(watcher);
        }
        return audience;
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are in some channel together.</summary>
    public static bool Share(ClientSession a, ClientSession b)
    {
        Membership[] mine = a.Channels.Snapshot, theirs = b.Channels.Snapshot;
        Membership[] shorter = mine.Length <= theirs.Length ? mine : theirs;
        ClientSession other = shorter == mine ? b : a;
        foreach (Membership membership in shorter)
        {
            if (other.Channels.Contains(membership.Channel))
                return true;
        }
        return false;
    }
}
