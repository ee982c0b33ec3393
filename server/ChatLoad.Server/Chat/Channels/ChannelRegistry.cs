using System.Collections.Concurrent;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>
/// All channels by name, rfc1459 case-insensitive. A channel exists while it has members: the first JOIN creates
/// it, the last PART/QUIT retires and removes it, so a server under churn does not accumulate empty channels.
/// </summary>
internal sealed class ChannelRegistry
{
    private readonly ConcurrentDictionary<string, Channel> _byName = new(IrcCaseMapping.Rfc1459);
    private readonly ConcurrentDictionary<string, Channel>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public ChannelRegistry() => _byChars = _byName.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _byName.Count;

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

    /// <summary>The channel named <paramref name="name"/>, created (at <paramref name="now"/>) when missing.</summary>
    public Channel GetOrCreate(string name, DateTimeOffset now) => _byName.GetOrAdd(name, static (n, at) => new Channel(n, at), now);

    /// <summary>Removes a retired channel; a channel of the same name created since is left alone.</summary>
    public void RemoveRetired(Channel channel) => _byName.TryRemove(new KeyValuePair<string, Channel>(channel.Name, channel));

    /// <summary>A moment's view of every channel.</summary>
    public IEnumerable<Channel> Snapshot() => _byName.Values;
}
