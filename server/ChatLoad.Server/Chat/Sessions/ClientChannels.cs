using ChatLoad.Server.Chat.Channels;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The channels one client is in, as its <see cref="Membership"/>s. Changed by the client's own command handling
/// and by a KICK from another client (under the channel's lock); read from any thread (WHOIS, WHO, NAMES of
/// another client): a copy-on-write array replaced whole, so a reader gets a consistent snapshot with one volatile
/// read and never locks. Writers replace it with a compare-and-swap (no lock object: 40 bytes less per client).
/// A struct held inside its <see cref="ClientSession"/> and reached by reference (<see cref="ClientSession.Channels"/>),
/// so it costs the array reference alone, not an object of its own (24 bytes less per client); never copy it.
/// </summary>
internal struct ClientChannels
{
    private Membership[] _memberships;

    public ClientChannels() => _memberships = [];

    /// <summary>The memberships now; never modified, safe to enumerate from any thread.</summary>
    public Membership[] Snapshot => Volatile.Read(ref _memberships);

    public int Count => Snapshot.Length;

    /// <summary>
    /// The client's membership in <paramref name="channel"/>, or null: the check on the send path, O(channels of
    /// this client) — in practice a handful — and allocation-free; it yields the member's status with it.
    /// </summary>
    public Membership? Find(Channel channel)
    {
        foreach (Membership membership in Snapshot)
        {
            if (ReferenceEquals(membership.Channel, channel))
                return membership;
        }
        return null;
    }

    public bool Contains(Channel channel) => Find(channel) is not null;

    public void Add(Membership membership)
    {
        while (true)
        {
            Membership[] current = Volatile.Read(ref _memberships);
            Membership[] next = [.. current, membership];
            if (Interlocked.CompareExchange(ref _memberships, next, current) == current)
                return;
        }
    }

    public bool Remove(Channel channel)
    {
        while (true)
        {
            Membership[] current = Volatile.Read(ref _memberships);
            int index = Array.FindIndex(current, m => ReferenceEquals(m.Channel, channel));
            if (index < 0)
                return false;
            Membership[] next = [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
            if (Interlocked.CompareExchange(ref _memberships, next, current) == current)
                return true;
        }
    }

    /// <summary>Empties the list (QUIT).</summary>
    public void Clear() => Volatile.Write(ref _memberships, []);

    public ReadOnlySpan<Membership>.Enumerator GetEnumerator() => new ReadOnlySpan<Membership>(Snapshot).GetEnumerator();
}
