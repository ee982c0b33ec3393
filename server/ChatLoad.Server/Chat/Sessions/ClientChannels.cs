using ChatLoad.Server.Chat.Channels;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// The channels one client is in, as its <see cref="Membership"/>s. Changed by the client's own command handling
/// and by a KICK from another client (under the channel's lock); read from any thread (WHOIS, WHO, NAMES of
/// another client): a copy-on-write array replaced whole, so a reader gets a consistent snapshot with one volatile
/// read and never locks. The small lock here only orders writers and is never held while taking another lock.
/// </summary>
internal sealed class ClientChannels
{
    private readonly Lock _gate = new();
    private Membership[] _memberships = [];

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
        lock (_gate)
        {
            Membership[] current = _memberships;
            var next = new Membership[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = membership;
            Volatile.Write(ref _memberships, next);
        }
    }

    public bool Remove(Channel channel)
    {
        lock (_gate)
        {
            Membership[] current = _memberships;
            int index = Array.FindIndex(current, m => ReferenceEquals(m.Channel, channel));
            if (index < 0)
                return false;
            var next = new Membership[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _memberships, next);
            return true;
        }
    }

    /// <summary>Empties the list (QUIT).</summary>
    public void Clear()
    {
        lock (_gate)
            Volatile.Write(ref _memberships, []);
    }

    public ReadOnlySpan<Membership>.Enumerator GetEnumerator() => new ReadOnlySpan<Membership>(Snapshot).GetEnumerator();
}
