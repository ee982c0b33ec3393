using System.Collections.Concurrent;
using System.Text;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Nicks;

/// <summary>
/// Who holds which nick, rfc1459 case-insensitive ("Bob" and "bOB" are one nick, so are "a[b" and "a{b").
/// A nick is claimed at NICK time, before registration completes, as IRC servers do, so two connections
/// registering at once cannot both get it.
/// </summary>
internal sealed class NickRegistry
{
    private readonly ConcurrentDictionary<string, ClientSession> _byNick = new(IrcCaseMapping.Rfc1459);
    private readonly ConcurrentDictionary<string, ClientSession>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public NickRegistry() => _byChars = _byNick.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _byNick.Count;

    /// <summary>
    /// Moves <paramref name="owner"/> from <paramref name="oldNick"/> (null before its first nick) to
    /// <paramref name="newNick"/>. False when someone else holds <paramref name="newNick"/>. A change of case
    /// only ("bob" to "Bob") keeps the same entry.
    /// </summary>
    public bool TryChange(string? oldNick, string newNick, ClientSession owner)
    {
        ClientSession holder = _byNick.GetOrAdd(newNick, owner);
        if (!ReferenceEquals(holder, owner))
            return false;
        if (oldNick is not null && !IrcCaseMapping.Rfc1459.Equals(oldNick, newNick))
            Release(oldNick, owner);
        return true;
    }

    /// <summary>Frees <paramref name="nick"/> if <paramref name="owner"/> still holds it.</summary>
    public void Release(string nick, ClientSession owner) =>
        _byNick.TryRemove(new KeyValuePair<string, ClientSession>(nick, owner));

    /// <summary>Finds the holder of a nick given as received (UTF-8) without allocating.</summary>
    public ClientSession? Find(ReadOnlySpan<byte> nick)
    {
        if (nick.Length > 256)
            return null; // longer than any NICKLEN we accept
        Span<char> chars = stackalloc char[nick.Length];
        int count = Encoding.UTF8.GetChars(nick, chars);
        return _byChars.TryGetValue(chars[..count], out ClientSession? holder) ? holder : null;
    }

    public ClientSession? Find(string nick) => _byNick.TryGetValue(nick, out ClientSession? holder) ? holder : null;

    /// <summary>The registered client holding <paramref name="nick"/>: what every command that names a user looks for
    /// (a nick claimed by a connection still registering is nobody yet).</summary>
    public ClientSession? FindUser(ReadOnlySpan<byte> nick) => Find(nick) is { IsRegistered: true } holder ? holder : null;

    /// <inheritdoc cref="FindUser(ReadOnlySpan{byte})"/>
    public ClientSession? FindUser(string nick) => Find(nick) is { IsRegistered: true } holder ? holder : null;

    /// <summary>A moment's view of every nick holder (registered or not), for WHO masks.</summary>
    public IEnumerable<ClientSession> Holders => _byNick.Values;
}
