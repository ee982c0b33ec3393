using System.Runtime.CompilerServices;
using System.Text;

namespace ChatLoad.Irc;

/// <summary>
/// One parsed IRC line, as views into the line's bytes: no allocation until a caller asks for a string.
/// Grammar (modern.ircdocs.horse): <c>[@tags SPACE] [:source SPACE] command {SPACE param} [SPACE :trailing]</c>.
/// Tags are kept as their raw bytes (<see cref="Tags"/>); <see cref="IrcTags"/> walks them.
/// </summary>
public readonly ref struct IrcMessage
{
    private readonly ReadOnlySpan<byte> _line;
    private readonly Range _tags;
    private readonly Range _source;
    private readonly Range _command;
    private readonly ParameterRanges _parameters;

    /// <summary>Number of parameters, trailing included (at most <see cref="IrcLimits.MaxParameters"/>).</summary>
    public int ParameterCount { get; }

    /// <summary>True when the last parameter was written with a leading ':' (it may contain spaces or be empty).</summary>
    public bool HasTrailing { get; }

    private IrcMessage(ReadOnlySpan<byte> line, Range tags, Range source, Range command, scoped in ParameterRanges parameters, int count, bool hasTrailing)
    {
        _line = line;
        _tags = tags;
        _source = source;
        _command = command;
        _parameters = parameters;
        ParameterCount = count;
        HasTrailing = hasTrailing;
    }

    /// <summary>The tag section without its leading '@' (still escaped, as received); empty when there is none.</summary>
    public ReadOnlySpan<byte> Tags => _line[_tags];

    public ReadOnlySpan<byte> Source => _line[_source];
    public ReadOnlySpan<byte> Command => _line[_command];
    public ReadOnlySpan<byte> this[int index] =>
        (uint)index < (uint)ParameterCount ? _line[_parameters[index]] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The command upper-cased as ASCII, for dispatch (numerics stay as they are).</summary>
    public string CommandName => Ascii.IsValid(Command) ? string.Create(Command.Length, this, static (dst, m) => Ascii.ToUpper(m.Command, dst, out _)) : "";

    /// <summary>Parameter as text; invalid UTF-8 becomes U+FFFD rather than an error.</summary>
    public string GetString(int index) => Encoding.UTF8.GetString(this[index]);

    /// <summary>True when the command equals <paramref name="upperAscii"/> ignoring ASCII case (no allocation).</summary>
    public bool IsCommand(ReadOnlySpan<byte> upperAscii) => Ascii.EqualsIgnoreCase(Command, upperAscii);

    /// <summary>
    /// Parses one line (without CR/LF). Returns false for a line with no command (empty or only a source/tags),
    /// which servers silently ignore. Parameters beyond 15 are folded into the 15th, as RFC 2812 allows.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out IrcMessage message)
    {
        message = default;
        int pos = 0;
        SkipSpaces(line, ref pos);
        Range tags = default;
        if (pos < line.Length && line[pos] == (byte)'@')
        {
            Range word = NextWord(line, ref pos);
            tags = new Range(word.Start.Value + 1, word.End);
            SkipSpaces(line, ref pos);
        }

        Range source = default;
        if (pos < line.Length && line[pos] == (byte)':')
        {
            Range word = NextWord(line, ref pos);
            source = new Range(word.Start.Value + 1, word.End);
            SkipSpaces(line, ref pos);
        }

        if (pos >= line.Length)
            return false;
        Range command = NextWord(line, ref pos);

        var parameters = new ParameterRanges();
        int count = 0;
        bool trailing = false;
        while (true)
        {
            SkipSpaces(line, ref pos);
            if (pos >= line.Length)
                break;
            if (line[pos] == (byte)':' || count == IrcLimits.MaxParameters - 1)
            {
                int start = line[pos] == (byte)':' ? pos + 1 : pos;
                trailing = line[pos] == (byte)':';
                parameters[count++] = new Range(start, line.Length);
                break;
            }
            parameters[count++] = NextWord(line, ref pos);
        }

        message = new IrcMessage(line, tags, source, command, parameters, count, trailing);
        return true;
    }

    private static void SkipSpaces(ReadOnlySpan<byte> line, ref int pos)
    {
        while (pos < line.Length && line[pos] == (byte)' ')
            pos++;
    }

    private static Range NextWord(ReadOnlySpan<byte> line, ref int pos)
    {
        int start = pos;
        int space = line[pos..].IndexOf((byte)' ');
        pos = space < 0 ? line.Length : pos + space;
        return new Range(start, pos);
    }

    [InlineArray(IrcLimits.MaxParameters)]
    private struct ParameterRanges
    {
        private Range _element;
    }
}
