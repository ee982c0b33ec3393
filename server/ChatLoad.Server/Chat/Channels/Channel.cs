using ChatLoad.Server.Chat.Capabilities;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>What <see cref="Channel.TryJoin"/> did.</summary>
internal enum JoinOutcome
{
    Joined,
    AlreadyMember,

    /// <summary>The channel emptied and left the registry while the joiner held it: look it up again.</summary>
    Retired,

    /// <summary>474: a ban matches and no exception does.</summary>
    Banned,

    /// <summary>473: +i and no invitation or +I entry.</summary>
    InviteOnly,

    /// <summary>475: +k and the wrong key.</summary>
    BadKey,

    /// <summary>471: +l reached.</summary>
    Full,
}

/// <summary>
/// One channel: its members with their status, topic, modes and lists. This file holds membership and delivery;
/// <c>Channel.Modes.cs</c> holds modes, lists and MODE changes.
/// </summary>
/// <remarks>
/// Delivery is the hot path and takes no lock: <see cref="Members"/> is a copy-on-write array of
/// <see cref="Membership"/>, replaced (never changed) under <see cref="_gate"/> on join and part, so a sender reads a
/// consistent snapshot with one volatile read and every member in it gets the message exactly once. Beside it,
/// <see cref="_sessions"/> holds the same members' sessions in the same order, replaced together with it: the
/// fan-out walks that one, so a recipient costs the same memory reads as before channels had statuses (session,
/// then connection), not one more hop through its membership. And while no member negotiated tags on relays
/// (<see cref="_taggedMembers"/> is 0, as in every load test), the loop does not even look at capabilities. Joins
/// cost O(members) for the copy, which is the price of allocation-free fan-out; NAMES is O(members) anyway.
/// No fan-out happens under the lock (the lock guards the membership and the modes, not the delivery): JOIN, PART,
/// KICK, TOPIC and MODE take the member snapshot under it, release it, then queue the line to every member, as ergo
/// does. The one Send under the lock is the joiner's own JOIN, queued before the joiner becomes visible to senders
/// so that it precedes any message it receives in the channel; <c>Send</c> only queues (it never writes on the
/// caller's thread, in either model), so that is no socket work. The cost: two such events in one channel at the
/// same moment (two JOINs, a MODE and a KICK) may reach different members in different orders, and a member leaving
/// at that moment may still hear the other event.
/// REVIEW: past ~10,600 members the array crosses the 85 KB large-object threshold and each join/part allocates
/// on the LOH; a chunked or persistent structure would avoid that if such channels matter.
/// </remarks>
internal sealed partial class Channel
{
    private readonly Lock _gate = new();
    private Membership[] _members = [];
    private ClientSession[] _sessions = [];
    private int _taggedMembers;
    private ChannelTopic? _topic;
    private bool _retired;

    public Channel(string name, DateTimeOffset createdAt)
    {
        Name = name;
        CreatedAt = createdAt;
        _modes = (int)DefaultModes;
    }

    /// <summary>The name as the first joiner wrote it; lookups are case-insensitive (rfc1459).</summary>
    public string Name { get; }

    /// <summary>When the channel was created (329 RPL_CREATIONTIME).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The current members. The array is a snapshot that is never modified: read it without a lock.</summary>
    public Membership[] Members => Volatile.Read(ref _members);

    public int MemberCount => Members.Length;

    public ChannelTopic? Topic => Volatile.Read(ref _topic);

    /// <summary>
    /// Adds <paramref name="joiner"/> unless a mode keeps it out, and queues its own JOIN to it — before it is
    /// visible to senders, so its own JOIN precedes any message it receives in the channel. The members it joined
    /// are in <paramref name="others"/>: the caller announces the JOIN to them (<see cref="AnnounceJoin"/>) once the
    /// joiner has its own replies, so that a joiner of a channel of thousands is not answered after thousands of
    /// deliveries. The first member of a new channel becomes its operator. Members with extended-join get
    /// <paramref name="extendedJoin"/> instead of <paramref name="join"/>.
    /// </summary>
    /// <param name="joiner">The client joining.</param>
    /// <param name="key">The key the joiner gave, if any (checked against +k).</param>
    /// <param name="invited">The joiner holds an INVITE to this channel: it passes +i, +l, +k and bans.</param>
    /// <param name="join">The plain JOIN line.</param>
    /// <param name="extendedJoin">The extended-join form (with account and real name).</param>
    /// <param name="membership">The new membership, when joined.</param>
    /// <param name="others">The members before the joiner, when joined (empty otherwise).</param>
    /// <returns>The outcome; on <see cref="JoinOutcome.Joined"/> the new membership and the members to tell.</returns>
    public JoinOutcome TryJoin(ClientSession joiner, string? key, bool invited, ref RelayedMessage join, ref RelayedMessage extendedJoin,
        out Membership? membership, out Membership[] others)
    {
        membership = null;
        others = [];
        lock (_gate)
        {
            if (_retired)
                return JoinOutcome.Retired;
            Membership[] current = _members;
            if (IndexOf(current, joiner) >= 0)
                return JoinOutcome.AlreadyMember;
            if (!invited)
            {
                string prefix = joiner.Identity.PrefixText;
                if (MatchesBan(prefix))
                    return JoinOutcome.Banned;
                if ((Modes & ChannelModes.InviteOnly) != 0 && !MatchesAny(Volatile.Read(ref _inviteExceptions), prefix))
                    return JoinOutcome.InviteOnly;
                if (_key is not null && key != _key)
                    return JoinOutcome.BadKey;
                if (_limit > 0 && current.Length >= _limit)
                    return JoinOutcome.Full;
            }

            membership = new Membership(this, joiner, current.Length == 0 ? MemberStatus.Operator : MemberStatus.None);
            membership.SetBanned(MatchesBan(joiner.Identity.PrefixText));
            CountTagged(membership, (joiner.Capabilities & ClientCapabilities.TagsOnRelays) != 0);
            joiner.Echo(ref joiner.Has(ClientCapabilities.ExtendedJoin) ? ref extendedJoin : ref join);
            var next = new Membership[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = membership;
            var sessions = new ClientSession[next.Length];
            _sessions.CopyTo(sessions, 0);
            sessions[^1] = joiner;
            Volatile.Write(ref _members, next);
            Volatile.Write(ref _sessions, sessions);
            joiner.Channels.Add(membership); // under the lock, so a KICK cannot slip between the two lists
            others = current;
            return JoinOutcome.Joined;
        }
    }

    /// <summary>Queues the JOIN to the members a <see cref="TryJoin"/> returned; returns how many.</summary>
    public static int AnnounceJoin(Membership[] others, ref RelayedMessage join, ref RelayedMessage extendedJoin)
    {
        foreach (Membership member in others)
            member.Member.Deliver(ref member.Member.Has(ClientCapabilities.ExtendedJoin) ? ref extendedJoin : ref join);
        return others.Length;
    }

    /// <summary>
    /// PART: removes <paramref name="member"/>; <paramref name="notice"/> goes to every member, the leaver included
    /// (as a reply to its own command). Returns false when it was not a member. <paramref name="emptied"/> is true
    /// when this removal retired the channel: the caller then removes it from the registry.
    /// </summary>
    public bool Part(ClientSession member, ref RelayedMessage notice, out int recipients, out bool emptied)
    {
        Membership[] before;
        lock (_gate)
        {
            recipients = 0;
            emptied = false;
            before = _members;
            int index = IndexOf(before, member);
            if (index < 0)
                return false;
            emptied = RemoveAt(index);
        }
        recipients = SendToAll(before, member, ref notice);
        return true;
    }

    /// <summary>
    /// KICK: removes <paramref name="target"/>; <paramref name="notice"/> goes to every member, the target included
    /// (the kicker gets it as a reply). Returns false when the target was not a member.
    /// </summary>
    public bool Kick(ClientSession kicker, ClientSession target, ref RelayedMessage notice, out int recipients, out bool emptied)
    {
        Membership[] before;
        lock (_gate)
        {
            recipients = 0;
            emptied = false;
            before = _members;
            int index = IndexOf(before, target);
            if (index < 0)
                return false;
            target.Channels.Remove(this);
            emptied = RemoveAt(index);
        }
        recipients = SendToAll(before, kicker, ref notice);
        return true;
    }

    /// <summary>
    /// QUIT (and shutdown): removes <paramref name="member"/> without a notice; returns the members before the
    /// removal (for the QUIT fan-out, which the caller de-duplicates across channels), or null when it was not in.
    /// </summary>
    public Membership[]? Leave(ClientSession member, out bool emptied)
    {
        lock (_gate)
        {
            emptied = false;
            Membership[] current = _members;
            int index = IndexOf(current, member);
            if (index < 0)
                return null;
            emptied = RemoveAt(index);
            return current;
        }
    }

    /// <summary>Sets (or with null clears) the topic and sends <paramref name="notice"/> to every member; returns the recipient count.</summary>
    public int SetTopic(ClientSession setter, ChannelTopic? topic, ref RelayedMessage notice)
    {
        Membership[] members;
        lock (_gate)
        {
            Volatile.Write(ref _topic, topic);
            members = _members;
        }
        return SendToAll(members, setter, ref notice);
    }

    /// <summary>
    /// The hot path: queues the message to every member but <paramref name="except"/> (the sender), lock-free and
    /// without allocating per recipient: each gets the shared form its capabilities ask for (usually the plain
    /// line). Returns the recipient count.
    /// </summary>
    public int Broadcast(ref RelayedMessage message, ClientSession? except)
    {
        ClientSession[] members = Volatile.Read(ref _sessions);
        ReadOnlyMemory<byte> plain = message.For(ClientCapabilities.None);
        int recipients = 0;
        if (Volatile.Read(ref _taggedMembers) == 0)
        {
            // Nobody here wants tags: the shared plain line to everyone, as fast as a channel without capabilities.
            if (plain.IsEmpty)
                return 0; // TAGMSG: nobody to tell
            foreach (ClientSession member in members)
            {
                if (!ReferenceEquals(member, except))
                {
                    member.Connection.Send(plain);
                    recipients++;
                }
            }
            return recipients;
        }
        foreach (ClientSession member in members)
        {
            if (ReferenceEquals(member, except))
                continue;
            if ((member.Capabilities & ClientCapabilities.TagsOnRelays) == 0)
            {
                if (!plain.IsEmpty)
                    member.Connection.Send(plain);
            }
            else
            {
                member.Deliver(ref message);
            }
            recipients++;
        }
        return recipients;
    }

    /// <summary>
    /// A member's capabilities changed (CAP REQ after joining): keeps <see cref="_taggedMembers"/> exact, under the
    /// lock like every other change of the count.
    /// </summary>
    public void OnCapabilitiesChanged(ClientSession member)
    {
        lock (_gate)
        {
            if (Find(member) is { } membership)
                CountTagged(membership, (member.Capabilities & ClientCapabilities.TagsOnRelays) != 0);
        }
    }

    // Caller holds the lock.
    private void CountTagged(Membership membership, bool tagged)
    {
        if (membership.CountedAsTagged == tagged)
            return;
        membership.CountedAsTagged = tagged;
        Interlocked.Add(ref _taggedMembers, tagged ? 1 : -1);
    }

    /// <summary>STATUSMSG (<c>PRIVMSG @#chan</c>): only members with at least <paramref name="minimum"/> get it.</summary>
    public int Broadcast(ref RelayedMessage message, ClientSession? except, MemberStatus minimum)
    {
        Membership[] members = Volatile.Read(ref _members);
        int recipients = 0;
        foreach (Membership member in members)
        {
            if (!ReferenceEquals(member.Member, except) && member.Status >= minimum)
            {
                member.Member.Deliver(ref message);
                recipients++;
            }
        }
        return recipients;
    }

    /// <summary>The membership of <paramref name="session"/>, or null. O(members): for KICK and MODE targets, not the send path.</summary>
    public Membership? Find(ClientSession session)
    {
        Membership[] members = Members;
        int index = IndexOf(members, session);
        return index < 0 ? null : members[index];
    }

    /// <summary>
    /// What NAMES, WHO and WHOIS put before the nick of a member with <paramref name="status"/> for
    /// <paramref name="viewer"/>: every prefix with multi-prefix, the highest otherwise.
    /// </summary>
    public static string PrefixFor(MemberStatus status, ClientSession viewer) =>
        viewer.Has(ClientCapabilities.MultiPrefix) ? ChannelModeLetters.AllPrefixes(status) : ChannelModeLetters.HighestPrefix(status);

    // Sends to every one of a member snapshot, outside the lock; the one who caused it gets it as a reply
    // (labeled), the others as a relay. Returns how many.
    private static int SendToAll(Membership[] members, ClientSession cause, ref RelayedMessage notice)
    {
        foreach (Membership recipient in members)
        {
            if (ReferenceEquals(recipient.Member, cause))
                cause.Echo(ref notice);
            else
                recipient.Member.Deliver(ref notice);
        }
        return members.Length;
    }

    // Caller holds the lock. Returns true when the channel emptied and is now retired.
    private bool RemoveAt(int index)
    {
        Membership[] current = _members;
        CountTagged(current[index], false);
        if (current.Length == 1)
        {
            Volatile.Write(ref _members, []);
            Volatile.Write(ref _sessions, []);
            _retired = true;
            return true;
        }
        var next = new Membership[current.Length - 1];
        Array.Copy(current, 0, next, 0, index);
        Array.Copy(current, index + 1, next, index, current.Length - index - 1);
        var sessions = new ClientSession[next.Length];
        Array.Copy(_sessions, 0, sessions, 0, index);
        Array.Copy(_sessions, index + 1, sessions, index, current.Length - index - 1);
        Volatile.Write(ref _members, next);
        Volatile.Write(ref _sessions, sessions);
        return false;
    }

    private static int IndexOf(Membership[] members, ClientSession session)
    {
        for (int i = 0; i < members.Length; i++)
        {
            if (ReferenceEquals(members[i].Member, session))
                return i;
        }
        return -1;
    }
}
