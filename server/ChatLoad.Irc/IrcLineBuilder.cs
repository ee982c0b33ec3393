using System.Text.Unicode;

namespace ChatLoad.Irc;

/// <summary>
/// Builds one outgoing IRC line piece by piece into a caller-supplied buffer (stack or pooled), so a message can
/// be assembled from the bytes it arrived in (the sender's cached prefix, the target, the text) and serialized
/// exactly once for every recipient.
/// </summary>
/// <remarks>
/// Every line it produces is one any client accepts: the body stops at <see cref="IrcLimits.MaxLineBodyBytes"/>
/// (truncated, never in the middle of a UTF-8 sequence) and is always followed by CRLF. CR, LF and NUL inside a
/// piece are replaced by a space, because relaying them would let one client inject whole lines into another's stream.
/// </remarks>
public ref struct IrcLineBuilder
{
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _completed;

    /// <param name="buffer">At least <see cref="IrcLimits.MaxLineBytes"/> bytes.</param>
    public IrcLineBuilder(Span<byte> buffer)
    {
        if (buffer.Length < IrcLimits.MaxLineBytes)
            throw new ArgumentException($"The buffer must hold {IrcLimits.MaxLineBytes} bytes.", nameof(buffer));
        _buffer = buffer;
    }

    /// <summary>Bytes written so far (CRLF included once <see cref="Complete"/> was called).</summary>
    public readonly int Length => _length;

    /// <summary>Room left for the body before truncation starts.</summary>
    public readonly int RemainingBodyBytes => IrcLimits.MaxLineBodyBytes - _length;

    /// <summary>True when some piece did not fit and was cut.</summary>
    public bool IsTruncated { get; private set; }

    /// <summary>The line as written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>Writes <c>:source </c>.</summary>
    public void AppendSource(ReadOnlySpan<byte> source)
    {
        AppendText(":"u8);
        AppendText(source);
        AppendText(" "u8);
    }

    /// <inheritdoc cref="AppendSource(ReadOnlySpan{byte})"/>
    public void AppendSource(string source)
    {
        AppendText(":"u8);
        AppendText(source);
        AppendText(" "u8);
    }

    /// <summary>Writes the command or numeric; call it first, or right after <see cref="AppendSource(string)"/>.</summary>
    public void AppendCommand(string command) => AppendText(command);

    /// <summary>Writes <c> parameter</c> as a middle parameter: the caller guarantees no space and no leading ':'.</summary>
    public void AppendParameter(ReadOnlySpan<byte> parameter)
    {
        AppendText(" "u8);
        AppendText(parameter);
    }

    /// <inheritdoc cref="AppendParameter(ReadOnlySpan{byte})"/>
    public void AppendParameter(string parameter)
    {
        AppendText(" "u8);
        AppendText(parameter);
    }

    /// <summary>Writes <c> :trailing</c>; the trailing parameter may be empty or contain spaces.</summary>
    public void AppendTrailing(ReadOnlySpan<byte> trailing)
    {
        AppendText(" :"u8);
        AppendText(trailing);
    }

    /// <inheritdoc cref="AppendTrailing(ReadOnlySpan{byte})"/>
    public void AppendTrailing(string trailing)
    {
        AppendText(" :"u8);
        AppendText(trailing);
    }

    /// <summary>Writes the last parameter, with a ':' only when needed (empty, contains a space, starts with ':').</summary>
    public void AppendLastParameter(string parameter)
    {
        if (NeedsTrailing(parameter))
            AppendTrailing(parameter);
        else
            AppendParameter(parameter);
    }

    /// <summary>Appends text to whatever was written last (e.g. one more nick of a 353 list). Truncated like the rest.</summary>
    public void AppendText(ReadOnlySpan<byte> text)
    {
        ThrowIfCompleted();
        int room = IrcLimits.MaxLineBodyBytes - _length;
        int count = text.Length;
        if (count > room)
        {
            count = LastWholeSequenceEnd(text, room);
            IsTruncated = true;
        }
        Span<byte> destination = _buffer.Slice(_length, count);
        text[..count].CopyTo(destination);
        ReplaceLineBreaks(destination);
        _length += count;
    }

    /// <inheritdoc cref="AppendText(ReadOnlySpan{byte})"/>
    public void AppendText(string text)
    {
        ThrowIfCompleted();
        Span<byte> destination = _buffer[_length..IrcLimits.MaxLineBodyBytes];
        // FromUtf16 stops before a scalar that does not fit, so a cut never splits a UTF-8 sequence; lone
        // surrogates become U+FFFD instead of an exception.
        var status = Utf8.FromUtf16(text, destination, out _, out int written, replaceInvalidSequences: true);
        if (status != System.Buffers.OperationStatus.Done)
            IsTruncated = true;
        ReplaceLineBreaks(destination[..written]);
        _length += written;
    }

    /// <summary>Ends the line with CRLF and returns its length. Nothing may be appended afterwards.</summary>
    public int Complete()
    {
        if (!_completed)
        {
            _buffer[_length++] = (byte)'\r';
            _buffer[_length++] = (byte)'\n';
            _completed = true;
        }
        return _length;
    }

    /// <summary>Completes the line and copies it into a new array: the one allocation of a message shared by all recipients.</summary>
    public byte[] ToArray()
    {
        Complete();
        return _buffer[.._length].ToArray();
    }

    /// <summary>The rule for writing a last parameter as trailing.</summary>
    public static bool NeedsTrailing(ReadOnlySpan<char> parameter) =>
        parameter.Length == 0 || parameter[0] == ':' || parameter.Contains(' ');

    private readonly void ThrowIfCompleted()
    {
        if (_completed)
            throw new InvalidOperationException("The line is already complete.");
    }

    // Cut point at or before `limit` that does not fall inside a UTF-8 sequence. Backs up at most 3 bytes (the
    // longest continuation run), so garbage that is all continuation bytes is still cut at the limit.
    private static int LastWholeSequenceEnd(ReadOnlySpan<byte> text, int limit)
    {
        int cut = limit;
        while (cut > 0 && cut > limit - 3 && (text[cut] & 0xC0) == 0x80)
            cut--;
        return (text[cut] & 0xC0) == 0x80 ? limit : cut;
    }

    private static void ReplaceLineBreaks(Span<byte> written)
    {
        int i;
        while ((i = written.IndexOfAny("\r\n\0"u8)) >= 0)
        {
            written[i] = (byte)' ';
            written = written[(i + 1)..];
        }
    }
}
