namespace ChatLoad.Server.Chat.Users;

/// <summary>One nick as it was when its holder quit or changed it away (WHOWAS 314).</summary>
internal sealed record WhowasEntry(string Nick, string UserName, string Host, string RealName, DateTimeOffset LeftAt);

/// <summary>
/// The last <c>WhowasHistoryLength</c> nicks that were given up (quit or changed), newest last, in a fixed ring:
/// memory stays bounded however many clients come and go. WHOWAS is rare, so a lookup walks the ring.
/// </summary>
internal sealed class WhowasHistory
{
    private readonly Lock _gate = new();
    private readonly WhowasEntry?[] _ring;
    private int _next;

    public WhowasHistory(int capacity) => _ring = new WhowasEntry?[Math.Max(1, capacity)];

    public void Record(WhowasEntry entry)
    {
        lock (_gate)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % _ring.Length;
        }
    }

    /// <summary>Entries for <paramref name="nick"/> (rfc1459 case-insensitive), newest first, at most <paramref name="limit"/>.</summary>
    public List<WhowasEntry> Find(string nick, int limit)
    {
        var found = new List<WhowasEntry>();
        lock (_gate)
        {
            for (int i = 1; i <= _ring.Length && found.Count < limit; i++)
            {
                WhowasEntry? entry = _ring[(_next - i + _ring.Length) % _ring.Length];
                if (entry is null)
                    break;
                if (Irc.IrcCaseMapping.Rfc1459.Equals(entry.Nick, nick))
                    found.Add(entry);
            }
        }
        return found;
    }
}
