using ChatLoad.Irc;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Users;

/// <summary>
/// IRCv3 MONITOR: who watches which nick. Watchers get 730 when a watched nick comes online (registers, or a
/// client changes to it) and 731 when it goes (quits, or changes away from it). One lock for the whole table:
/// MONITOR changes are rare, and the sign-on/sign-off checks skip the lock entirely while nobody monitors anything.
/// </summary>
internal sealed class MonitorRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<ClientSession>> _watchers = new(IrcCaseMapping.Rfc1459);
    private readonly Dictionary<ClientSession, List<string>> _watching = new(ReferenceEqualityComparer.Instance);
    private int _entries;

    /// <summary>Adds <paramref name="nick"/> to <paramref name="watcher"/>'s list; false when the list holds <paramref name="limit"/> already.</summary>
    public bool Add(ClientSession watcher, string nick, int limit)
    {
        lock (_gate)
        {
            if (!_watching.TryGetValue(watcher, out List<string>? list))
                _watching[watcher] = list = [];
            if (list.Exists(n => IrcCaseMapping.Rfc1459.Equals(n, nick)))
                return true;
            if (list.Count >= limit)
                return false;
            list.Add(nick);
            if (!_watchers.TryGetValue(nick, out HashSet<ClientSession>? set))
                _watchers[nick] = set = new HashSet<ClientSession>(ReferenceEqualityComparer.Instance);
            set.Add(watcher);
            Interlocked.Increment(ref _entries);
            return true;
        }
    }

    public void Remove(ClientSession watcher, string nick)
    {
        lock (_gate)
        {
            if (_watching.TryGetValue(watcher, out List<string>? list) && list.RemoveAll(n => IrcCaseMapping.Rfc1459.Equals(n, nick)) > 0)
                Unwatch(watcher, nick);
        }
    }

    /// <summary>MONITOR C, and a watcher's disconnect.</summary>
    public void Clear(ClientSession watcher)
    {
        if (Volatile.Read(ref _entries) == 0)
            return;
        lock (_gate)
        {
            if (!_watching.Remove(watcher, out List<string>? list))
                return;
            foreach (string nick in list)
                Unwatch(watcher, nick);
        }
    }

    /// <summary>The nicks <paramref name="watcher"/> monitors, as it wrote them.</summary>
    public List<string> ListOf(ClientSession watcher)
    {
        lock (_gate)
            return _watching.TryGetValue(watcher, out List<string>? list) ? [.. list] : [];
    }

    /// <summary>Who monitors <paramref name="nick"/> now (for 730/731 and extended-monitor).</summary>
    public List<ClientSession> WatchersOf(string? nick)
    {
        if (nick is null || Volatile.Read(ref _entries) == 0)
            return [];
        lock (_gate)
            return _watchers.TryGetValue(nick, out HashSet<ClientSession>? set) ? [.. set] : [];
    }

    /// <summary><paramref name="client"/> now holds its nick as a registered user: 730 to its watchers.</summary>
    public void OnSignedOn(ClientSession client)
    {
        ClientIdentity identity = client.Identity;
        foreach (ClientSession watcher in WatchersOf(identity.Nick))
            Notify(watcher, IrcNumerics.RplMonOnline, identity.PrefixText);
    }

    /// <summary>The nick in <paramref name="identity"/> is no longer held: 731 to its watchers.</summary>
    public void OnSignedOff(ClientIdentity identity)
    {
        foreach (ClientSession watcher in WatchersOf(identity.Nick))
            Notify(watcher, IrcNumerics.RplMonOffline, identity.NickOrStar);
    }

    /// <summary>A client left: its watchers hear it went, and its own list is dropped.</summary>
    public void OnSignedOff(ClientSession client)
    {
        Clear(client);
        if (client.IsRegistered)
            OnSignedOff(client.Identity);
    }

    // The same shape as MONITOR's own replies: the list always as the trailing parameter.
    private static void Notify(ClientSession watcher, string numeric, string target)
    {
        var output = new ReplyBuffer(watcher, 128);
        output.StartCommaList(numeric);
        output.Word(target);
        output.EndWords();
        output.Send();
    }

    // Caller holds the lock.
    private void Unwatch(ClientSession watcher, string nick)
    {
        if (_watchers.TryGetValue(nick, out HashSet<ClientSession>? set))
        {
            set.Remove(watcher);
            if (set.Count == 0)
                _watchers.Remove(nick);
        }
        Interlocked.Decrement(ref _entries);
    }
}
