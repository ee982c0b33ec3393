using System.Collections.Concurrent;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>
/// All channels by name, rfc1459 case-insensitive. A channel exists while it has members: the first JOIN creates
/// it, the last PART/QUIT retires and removes it, so a server under churn does not accumulate empty channels.
/// At most <c>MaxChannels</c> exist at once (ServerOptions), so channel state is bounded in total, not only per client.
/// </summary>
internal sealed class ChannelRegistry
{
    private readonly ConcurrentDictionary<string, Channel> _byName = new(IrcCaseMapping.Rfc1459);
    private readonly ConcurrentDictionary<string, Channel>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly int _maxChannels;
    private int _count; // our own: ConcurrentDictionary.Count takes every bucket lock

    public ChannelRegistry(int maxChannels)
    {
        _maxChannels = maxChannels;
        _byChars = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Most channels that may exist at once.</summary>
    public int Limit => _maxChannels;

    /// <summary>Finds a channel by its name as received (UTF-8), decoding it onto the stack: no allocation.</summary>
    public Channel? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length > 256 || !System.Text.Unicode.Utf8.IsValid(name))
            return null; // longer than any CHANNELLEN we accept, or not a name we could have created
        Span<char> chars = stackalloc char[name.Length];
        int count = Encoding.UTF8.GetChars(name, chars);
        return _byChars.TryGetValue(chars[..count], out Channel? channel) ? channel : null;
    }

    public Channel? Find(string name) => _byName.TryGetValue(name, out Channel? channel) ? channel : null;

    /// <summary>The channel named <paramref name="name"/>, created (at <paramref name="now"/>) when missing; null
    /// when it is missing and <c>MaxChannels</c> channels exist already.</summary>
    public Channel? GetOrCreate(string name, DateTimeOffset now)
    {
        if (_byName.TryGetValue(name, out Channel? existing))
            return existing;
        if (Interlocked.Increment(ref _count) > _maxChannels)
        {
            Interlocked.Decrement(ref _count);
            return _byName.TryGetValue(name, out existing) ? existing : null; // created meanwhile by someone else
        }
        var created = new Channel(name, now);
        Channel actual = _byName.GetOrAdd(name, created);
        if (!ReferenceEquals(actual, created))
            Interlocked.Decrement(ref _count); // lost the race: ours was never added
        return actual;
    }

    /// <summary>Removes a retired channel; a channel of the same name created since is left alone.</summary>
    public void RemoveRetired(Channel channel)
    {
        if (_byName.TryRemove(new KeyValuePair<string, Channel>(channel.Name, channel)))
            Interlocked.Decrement(ref _count);
    }

    /// <summary>A moment's view of every channel.</summary>
    public IEnumerable<Channel> Snapshot() => _byName.Values;
}
