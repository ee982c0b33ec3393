namespace ChatLoad.Server.Chat.Commands;

/// <summary>Walks a comma-separated parameter (<c>#a,#b</c>) without allocating; empty items are skipped.</summary>
internal ref struct CommaList
{
    private readonly ReadOnlySpan<byte> _list;
    private int _next;

    public CommaList(ReadOnlySpan<byte> list)
    {
        _list = list;
        _next = 0;
        Current = default;
        CurrentRange = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Where <see cref="Current"/> sits in the list, for callers that remember items (duplicate targets).</summary>
    public Range CurrentRange { get; private set; }

    public readonly CommaList GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next < _list.Length)
        {
            int start = _next;
            int comma = _list[start..].IndexOf((byte)',');
            int end = comma < 0 ? _list.Length : start + comma;
            _next = end + 1;
            if (end > start)
            {
                CurrentRange = new Range(start, end);
                Current = _list[start..end];
                return true;
            }
        }
        return false;
    }
}
