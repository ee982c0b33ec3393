namespace ChatLoad.Server.Chat.Commands;

/// <summary>Walks a comma-separated parameter (<c>#a,#b</c>) without allocating; empty items are skipped.</summary>
internal ref struct CommaList
{
    private ReadOnlySpan<byte> _rest;

    public CommaList(ReadOnlySpan<byte> list)
    {
        _rest = list;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly CommaList GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_rest.IsEmpty)
        {
            int comma = _rest.IndexOf((byte)',');
            Current = comma < 0 ? _rest : _rest[..comma];
            _rest = comma < 0 ? default : _rest[(comma + 1)..];
            if (!Current.IsEmpty)
                return true;
        }
        return false;
    }
}
