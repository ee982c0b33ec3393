using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>What <see cref="Channel.TryJoin"/> did.</summary>
internal enum JoinOutcome
{
    Joined,
    AlreadyMember,

    /// <summary>The channel emptied and left the registry while the joiner held it: look it up again.</summary>
    Retired,
}

/// <summary>
/// One channel: its members and topic.
/// </summary>
/// <remarks>
/// Delivery is the hot path and takes no lock: <see cref="Members"/> is a copy-on-write array, replaced (never
/// changed) under <see cref="_gate"/> on join and part, so a sender reads a consistent snapshot with one volatile
/// read and every member in it gets the message exactly once. Joins cost O(members) for the copy, which is the
/// price of allocation-free fan-out; NAMES is O(members) anyway.
/// No fan-out happens under the lock (the lock guards the membership, not the delivery): JOIN, PART and TOPIC take
/// the snapshot under it, release it, then queue the line to every member, as ergo does. The one Send under the
/// lock is the joiner's own JOIN, queued before the joiner becomes visible to senders so that it precedes any
/// message the joiner receives in the channel; Send only queues (it never writes on the caller's thread, in
/// either model), so that is no socket work. The cost: two membership events in one channel at the same moment
/// (two JOINs, a JOIN and a TOPIC) may reach different members in different orders, and a member leaving at that
/// moment may still hear the other event.
/// REVIEW: past ~10,600 members the array crosses the 85 KB large-object threshold and each join/part allocates
/// on the LOH; a chunked or persistent structure would avoid that if such channels matter.
/// </remarks>
internal sealed class Channel
{
    private readonly Lock _gate = new();
    private ClientSession[] _members = [];
    private ChannelTopic? _topic;
    private bool _retired;

    public Channel(string name) => Name = name;

    /// <summary>The name as the first joiner wrote it; lookups are case-insensitive (rfc1459).</summary>
    public string Name { get; }

    /// <summary>The current members. The array is a snapshot that is never modified: read it without a lock.</summary>
    public ClientSession[] Members => Volatile.Read(ref _members);

    public ChannelTopic? Topic => Volatile.Read(ref _topic);

    /// <summary>
    /// Adds <paramref name="joiner"/> and queues <paramref name="joinLine"/> to it — before it is visible to
    /// senders, so its own JOIN precedes any message it receives in the channel. The members it joined are in
    /// <paramref name="others"/>: the caller queues the JOIN to them (<see cref="SendToAll"/>) once the joiner has
    /// its own replies, so that a joiner of a channel of thousands is not answered after thousands of deliveries.
    /// </summary>
    public JoinOutcome TryJoin(ClientSession joiner, ReadOnlyMemory<byte> joinLine, out ClientSession[] others)
    {
        lock (_gate)
        {
            others = _members;
            if (_retired)
                return JoinOutcome.Retired;
            if (Array.IndexOf(others, joiner) >= 0)
                return JoinOutcome.AlreadyMember;

            joiner.Connection.Send(joinLine);
            var next = new ClientSession[others.Length + 1];
            others.CopyTo(next, 0);
            next[^1] = joiner;
            Volatile.Write(ref _members, next);
            return JoinOutcome.Joined;
        }
    }

    /// <summary>
    /// Removes <paramref name="member"/>. When <paramref name="notice"/> is given (PART) it goes to every member,
    /// the leaver included, once the lock is released. Returns the members before the removal (for QUIT
    /// fan-out), or null when <paramref name="member"/> was not in the channel. <paramref name="emptied"/> is true when this removal
    /// retired the channel: the caller then removes it from the registry.
    /// </summary>
    public ClientSession[]? Remove(ClientSession member, ReadOnlyMemory<byte> notice, out int recipients, out bool emptied)
    {
        recipients = 0;
        emptied = false;
        ClientSession[] current;
        lock (_gate)
        {
            current = _members;
            int index = Array.IndexOf(current, member);
            if (index < 0)
                return null;

            if (current.Length == 1)
            {
                Volatile.Write(ref _members, []);
                _retired = true;
                emptied = true;
            }
            else
            {
                var next = new ClientSession[current.Length - 1];
                Array.Copy(current, 0, next, 0, index);
                Array.Copy(current, index + 1, next, index, current.Length - index - 1);
                Volatile.Write(ref _members, next);
            }
        }
        if (!notice.IsEmpty)
            recipients = SendToAll(current, notice, except: null);
        return current;
    }

    /// <summary>Sets (or with null clears) the topic and sends <paramref name="topicLine"/> to every member; returns the recipient count.</summary>
    public int SetTopic(ChannelTopic? topic, ReadOnlyMemory<byte> topicLine)
    {
        ClientSession[] current;
        lock (_gate)
        {
            Volatile.Write(ref _topic, topic);
            current = _members;
        }
        return SendToAll(current, topicLine, except: null);
    }

    /// <summary>
    /// The hot path: queues the same bytes to every member but <paramref name="except"/> (the sender), lock-free
    /// and without allocating. Returns the recipient count.
    /// </summary>
    public int Broadcast(ReadOnlyMemory<byte> line, ClientSession? except) => SendToAll(Members, line, except);

    /// <summary>Queues the same bytes to every one of <paramref name="members"/> but <paramref name="except"/>; returns how many.</summary>
    public static int SendToAll(ClientSession[] members, ReadOnlyMemory<byte> line, ClientSession? except)
    {
        int recipients = 0;
        foreach (ClientSession member in members)
        {
            if (!ReferenceEquals(member, except))
            {
                member.Connection.Send(line);
                recipients++;
            }
        }
        return recipients;
    }

    public bool Contains(ClientSession session) => Array.IndexOf(Members, session) >= 0;
}
