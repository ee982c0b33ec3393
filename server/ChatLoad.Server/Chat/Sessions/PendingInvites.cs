using ChatLoad.Irc;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The channels a client has been INVITEd to and not yet joined (an invitation lets it past +i, +l, +k and bans
/// once). Written by inviters on their threads, consumed by the client's JOIN. A copy-on-write array replaced with
/// a compare-and-swap, so a client that was never invited (nearly all) holds no list and no lock: invitations are
/// rare and short. Bounded: past <c>MaxChannelsPerClient</c> entries the oldest invitation is forgotten. A struct
/// held inside its <see cref="ClientSession"/> and reached by reference (<see cref="ClientSession.Invites"/>), so it
/// costs the array reference alone, not an object of its own (24 bytes less per client); never copy it.
/// </summary>
internal struct PendingInvites
{
    private string[] _channels;

    public PendingInvites() => _channels = [];

    public void Add(string channel, int limit)
    {
        while (true)
        {
            string[] current = Volatile.Read(ref _channels);
            if (IndexOf(current, channel) >= 0)
                return;
            string[] next = current.Length >= limit ? [.. current.AsSpan(1), channel] : [.. current, channel];
            if (Interlocked.CompareExchange(ref _channels, next, current) == current)
                return;
        }
    }

    /// <summary>True when the client was invited to <paramref name="channel"/> (JOIN then <see cref="Remove"/>s it).</summary>
    public bool Contains(string channel) => IndexOf(Volatile.Read(ref _channels), channel) >= 0;

    public void Remove(string channel)
    {
        while (true)
        {
            string[] current = Volatile.Read(ref _channels);
            int index = IndexOf(current, channel);
            if (index < 0)
                return;
            string[] next = [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
            if (Interlocked.CompareExchange(ref _channels, next, current) == current)
                return;
        }
    }

    /// <summary>The pending invitations, oldest first (INVITE without parameters: 336).</summary>
    public string[] Snapshot() => Volatile.Read(ref _channels);

    private static int IndexOf(string[] channels, string channel)
    {
        for (int i = 0; i < channels.Length; i++)
        {
            if (IrcCaseMapping.Rfc1459.Equals(channels[i], channel))
                return i;
        }
        return -1;
    }
}
