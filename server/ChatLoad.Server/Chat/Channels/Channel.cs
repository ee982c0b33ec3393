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
/// read and every member in it gets the message exactly once. Membership events (JOIN, PART, TOPIC) are sent while
/// the lock is held, so all members see them in the same order. Joins cost O(members) for the copy, which is the
/// price of allocation-free fan-out; NAMES is O(members) anyway. Sending under the lock relies on the transport
/// contract that <c>Send</c> returns at once and never reports a disconnect from inside the call (a synchronous
/// <c>OnDisconnected</c> there could wait for a session that waits for this lock).
/// REVIEW: past ~10,600 members the array crosses the 85 KB large-object threshold and each join/part allocates
/// on the LOH; a chunked or persistent structure would avoid that if such channels matter.
/// REVIEW: the NAMES reply a joiner gets is ~(NICKLEN+1) bytes per member in one Send; past SendQueueBytes
/// (64 KiB default, i.e. several thousand members) the transport drops the joiner for SendQ exceeded. Runs with
/// channels that large need a bigger SendQueueBytes.
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
    /// Adds <paramref name="joiner"/> and sends <paramref name="joinLine"/> to every member, the joiner first —
    /// before it is visible to senders, so its own JOIN precedes any message it receives in the channel.
    /// </summary>
    /// <returns>The outcome, and in <paramref name="recipients"/> how many lines were queued.</returns>
    public JoinOutcome TryJoin(ClientSession joiner, ReadOnlyMemory<byte> joinLine, out int recipients)
    {
        recipients = 0;
        lock (_gate)
        {
            if (_retired)
                return JoinOutcome.Retired;
            ClientSession[] current = _members;
            if (Array.IndexOf(current, joiner) >= 0)
                return JoinOutcome.AlreadyMember;

            joiner.Connection.Send(joinLine);
            var next = new ClientSession[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = joiner;
            Volatile.Write(ref _members, next);
            foreach (ClientSession member in current)
                member.Connection.Send(joinLine);
            recipients = next.Length;
            return JoinOutcome.Joined;
        }
    }

    /// <summary>
    /// Removes <paramref name="member"/>. When <paramref name="notice"/> is given (PART) it goes to every member,
    /// the leaver included, under the lock. Returns the members before the removal (for QUIT fan-out), or null when
    /// <paramref name="member"/> was not in the channel. <paramref name="emptied"/> is true when this removal
    /// retired the channel: the caller then removes it from the registry.
    /// </summary>
    public ClientSession[]? Remove(ClientSession member, ReadOnlyMemory<byte> notice, out int recipients, out bool emptied)
    {
        recipients = 0;
        emptied = false;
        lock (_gate)
        {
            ClientSession[] current = _members;
            int index = Array.IndexOf(current, member);
            if (index < 0)
                return null;

            if (!notice.IsEmpty)
            {
                foreach (ClientSession recipient in current)
                    recipient.Connection.Send(notice);
                recipients = current.Length;
            }

            if (current.Length == 1)
            {
                Volatile.Write(ref _members, []);
                _retired = true;
                emptied = true;
                return current;
            }

            var next = new ClientSession[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            Volatile.Write(ref _members, next);
            return current;
        }
    }

    /// <summary>Sets (or with null clears) the topic and sends <paramref name="topicLine"/> to every member; returns the recipient count.</summary>
    public int SetTopic(ChannelTopic? topic, ReadOnlyMemory<byte> topicLine)
    {
        lock (_gate)
        {
            Volatile.Write(ref _topic, topic);
            ClientSession[] current = _members;
            foreach (ClientSession member in current)
                member.Connection.Send(topicLine);
            return current.Length;
        }
    }

    /// <summary>
    /// The hot path: queues the same bytes to every member but <paramref name="except"/> (the sender), lock-free
    /// and without allocating. Returns the recipient count.
    /// </summary>
    public int Broadcast(ReadOnlyMemory<byte> line, ClientSession? except)
    {
        ClientSession[] members = Volatile.Read(ref _members);
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
