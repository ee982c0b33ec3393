using ChatLoad.Irc;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The channels a client has been INVITEd to and not yet joined (an invitation lets it past +i, +l, +k and bans
/// once). Written by inviters on their threads, consumed by the client's JOIN: a small lock. Bounded: past
/// <c>MaxChannelsPerClient</c> entries the oldest invitation is forgotten.
/// </summary>
internal sealed class PendingInvites
{
    private readonly Lock _gate = new();
    private readonly List<string> _channels = [];

    public void Add(string channel, int limit)
    {
        lock (_gate)
        {
            if (_channels.Exists(c => IrcCaseMapping.Rfc1459.Equals(c, channel)))
                return;
            if (_channels.Count >= limit)
                _channels.RemoveAt(0);
            _channels.Add(channel);
        }
    }

    /// <summary>True (and the invitation is used up) when the client was invited to <paramref name="channel"/>.</summary>
    public bool Contains(string channel)
    {
        lock (_gate)
            return _channels.Exists(c => IrcCaseMapping.Rfc1459.Equals(c, channel));
    }

    public void Remove(string channel)
    {
        lock (_gate)
            _channels.RemoveAll(c => IrcCaseMapping.Rfc1459.Equals(c, channel));
    }

    /// <summary>The pending invitations, oldest first (INVITE without parameters: 336).</summary>
    public string[] Snapshot()
    {
        lock (_gate)
            return [.. _channels];
    }
}
