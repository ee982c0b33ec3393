namespace ChatLoad.Irc;

/// <summary>
/// Walks an IRCv3 tag section (<c>key=value;+client=x;flag</c>, without the '@') without allocating. Values stay
/// escaped as received: the server only relays or echoes them, so it never needs them unescaped.
/// </summary>
public ref struct IrcTags
{
    private ReadOnlySpan<byte> _rest;

    public IrcTags(ReadOnlySpan<byte> tags)
    {
        _rest = tags;
        Key = default;
        Value = default;
        Whole = default;
    }

    /// <summary>The current tag's key, client-only prefix '+' included.</summary>
    public ReadOnlySpan<byte> Key { get; private set; }

    /// <summary>The current tag's escaped value; empty for a tag without one.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>The current tag as written: <c>key</c> or <c>key=value</c>.</summary>
    public ReadOnlySpan<byte> Whole { get; private set; }

    public readonly IrcTags GetEnumerator() => this;

    public readonly IrcTags Current => this;

    public bool MoveNext()
    {
        while (!_rest.IsEmpty)
        {
            int semicolon = _rest.IndexOf((byte)';');
            ReadOnlySpan<byte> tag = semicolon < 0 ? _rest : _rest[..semicolon];
            _rest = semicolon < 0 ? default : _rest[(semicolon + 1)..];
            if (tag.IsEmpty)
                continue;
            int equals = tag.IndexOf((byte)'=');
            Key = equals < 0 ? tag : tag[..equals];
            Value = equals < 0 ? default : tag[(equals + 1)..];
            Whole = tag;
            if (!Key.IsEmpty)
                return true;
        }
        return false;
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="tags"/>, or false when the tag is absent.</summary>
    public static bool TryGet(ReadOnlySpan<byte> tags, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        foreach (IrcTags tag in new IrcTags(tags))
        {
            if (tag.Key.SequenceEqual(key))
            {
                value = tag.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>True when the tag is client-only (<c>+name</c>), the kind a server relays between clients.</summary>
    public static bool IsClientOnly(ReadOnlySpan<byte> key) => key.Length > 1 && key[0] == (byte)'+';
}
