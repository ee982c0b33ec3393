namespace ChatLoad.Irc;

/// <summary>
/// The <c>rfc1459</c> casemapping we advertise in 005: ASCII letters fold to lower case, and <c>[]\~</c> are the
/// upper-case forms of <c>{}|^</c> (RFC 1459 §2.2, a Scandinavian legacy). Nicks and channel names compare with it.
/// </summary>
/// <remarks>
/// Also an <see cref="IAlternateEqualityComparer{TAlternate,T}"/> over <c>ReadOnlySpan&lt;char&gt;</c>, so registries
/// keyed by string can be searched with a name decoded onto the stack, without allocating a string per lookup.
/// </remarks>
public sealed class IrcCaseMapping : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    /// <summary>The only mapping this server uses.</summary>
    public static IrcCaseMapping Rfc1459 { get; } = new();

    /// <summary>The token advertised as <c>CASEMAPPING=</c>.</summary>
    public const string Name = "rfc1459";

    private IrcCaseMapping()
    {
    }

    /// <summary>Folds one character to its canonical (lower-case) form.</summary>
    public static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
        '[' => '{',
        ']' => '}',
        '\\' => '|',
        '~' => '^',
        _ => c,
    };

    /// <summary>The canonical form of <paramref name="name"/>, e.g. for display-independent keys.</summary>
    public static string ToCanonical(string name) =>
        string.Create(name.Length, name, static (destination, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                destination[i] = Fold(source[i]);
        });

    /// <summary>
    /// Compares two names as received (UTF-8 bytes) under the mapping: only ASCII folds, so comparing byte by byte
    /// gives the same answer as decoding both first.
    /// </summary>
    public static bool EqualsUtf8(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.Length != y.Length)
            return false;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] != y[i] && (x[i] >= 0x80 || y[i] >= 0x80 || Fold((char)x[i]) != Fold((char)y[i])))
                return false;
        }
        return true;
    }

    public bool Equals(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        if (x.Length != y.Length)
            return false;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] != y[i] && Fold(x[i]) != Fold(y[i]))
                return false;
        }
        return true;
    }

    public int GetHashCode(ReadOnlySpan<char> name)
    {
        var hash = new HashCode();
        foreach (char c in name)
            hash.Add(Fold(c));
        return hash.ToHashCode();
    }

    public bool Equals(string? x, string? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && Equals(x.AsSpan(), y.AsSpan()));

    public int GetHashCode(string name) => GetHashCode(name.AsSpan());

    bool IAlternateEqualityComparer<ReadOnlySpan<char>, string>.Equals(ReadOnlySpan<char> alternate, string other) =>
        Equals(alternate, other.AsSpan());

    string IAlternateEqualityComparer<ReadOnlySpan<char>, string>.Create(ReadOnlySpan<char> alternate) => alternate.ToString();
}
