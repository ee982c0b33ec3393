using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>
/// One client's place in one channel, shared by the channel's member list and the client's own channel list: its
/// status (@, +) and whether it matches the channel's bans, kept here so the send path checks both with one read.
/// </summary>
/// <remarks>
/// Changed only under the channel's lock (MODE, JOIN, a nick change re-checking the bans); read from any thread.
/// Caching the ban match is what keeps "may this member speak?" O(1) however long the ban list is: the cost moves
/// to the rare moments that can change the answer (a ban or exception added or removed, the member's nick changed).
/// </remarks>
internal sealed class Membership
{
    private const int BannedBit = 1 << 8;
    private int _state;

    public Membership(Channel channel, ClientSession member, MemberStatus status)
    {
        Channel = channel;
        Member = member;
        _state = (int)status;
    }

    public Channel Channel { get; }
    public ClientSession Member { get; }

    public MemberStatus Status => (MemberStatus)(Volatile.Read(ref _state) & 0xFF);

    public bool IsOperator => (Status & MemberStatus.Operator) != 0;

    /// <summary>Voice or operator: may speak in a moderated or banned-from state.</summary>
    public bool HasVoiceOrAbove => Status != MemberStatus.None;

    /// <summary>True when the member's <c>nick!user@host</c> matches a ban and no exception (cached).</summary>
    public bool IsBanned => (Volatile.Read(ref _state) & BannedBit) != 0;

    /// <summary>Adds or removes a status bit; true when it changed. Caller holds the channel's lock.</summary>
    internal bool SetStatus(MemberStatus status, bool on)
    {
        int before = _state;
        int after = on ? before | (int)status : before & ~(int)status;
        Volatile.Write(ref _state, after);
        return before != after;
    }

    /// <summary>
    /// Whether this member is counted in its channel's tagged-member count (it negotiated tags on relays). Read and
    /// written under the channel's lock only, so the count stays exact through joins, parts, kicks and CAP changes.
    /// </summary>
    internal bool CountedAsTagged { get; set; }

    /// <summary>Caller holds the channel's lock.</summary>
    internal void SetBanned(bool banned) =>
        Volatile.Write(ref _state, banned ? _state | BannedBit : _state & ~BannedBit);
}
