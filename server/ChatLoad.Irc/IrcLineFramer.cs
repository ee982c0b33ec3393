using System.Buffers;

namespace ChatLoad.Irc;

/// <summary>What <see cref="IrcLineFramer.TryReadLine"/> found in the buffer.</summary>
public enum LineFrameResult
{
    /// <summary>No complete line yet: read more bytes. Everything examined so far was consumed or kept as needed.</summary>
    NeedMoreData,

    /// <summary>A complete line (CR/LF stripped) is in <c>line</c>.</summary>
    Line,

    /// <summary>
    /// A line longer than <see cref="IrcLimits.MaxLineBytes"/> ended here. Its bytes were discarded as they arrived,
    /// so memory stayed bounded; the caller answers 417 ERR_INPUTTOOLONG and keeps the connection.
    /// </summary>
    LineTooLong,
}

/// <summary>
/// Splits a byte stream into IRC lines (CRLF or bare LF) without allocating, in the Bedrock shape: one pure
/// method over a <see cref="ReadOnlySequence{T}"/> that reports how far it consumed. One instance per connection,
/// because discarding an over-long line spans reads.
/// </summary>
/// <remarks>
/// A peer that streams megabytes without a newline never makes the caller buffer more than
/// <see cref="IrcLimits.MaxLineBytes"/>: once the limit passes, the bytes are consumed (dropped) as they come
/// until the next LF, and one <see cref="LineFrameResult.LineTooLong"/> is reported for the whole line.
/// </remarks>
public struct IrcLineFramer
{
    private bool _discarding;

    /// <summary>True while an over-long line is being dropped.</summary>
    public readonly bool IsDiscarding => _discarding;

    /// <summary>
    /// Reads the next line from <paramref name="buffer"/>, advancing it past what was consumed.
    /// Call repeatedly until it returns <see cref="LineFrameResult.NeedMoreData"/>; the bytes left in
    /// <paramref name="buffer"/> are an incomplete line to keep for the next read.
    /// </summary>
    public LineFrameResult TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        while (true)
        {
            SequencePosition? lf = buffer.PositionOf((byte)'\n');
            if (_discarding)
            {
                if (lf is null)
                {
                    buffer = buffer.Slice(buffer.End); // drop everything: still inside the long line
                    return LineFrameResult.NeedMoreData;
                }
                buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
                _discarding = false;
                return LineFrameResult.LineTooLong;
            }

            if (lf is null)
            {
                if (buffer.Length > IrcLimits.MaxLineBodyBytes + 1) // +1: a CR may still be waiting for its LF
                {
                    _discarding = true;
                    continue;
                }
                return LineFrameResult.NeedMoreData;
            }

            ReadOnlySequence<byte> body = buffer.Slice(0, lf.Value);
            buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
            if (body.Length > 0 && EndsWithCr(body))
                body = body.Slice(0, body.Length - 1);
            if (body.Length > IrcLimits.MaxLineBodyBytes)
                return LineFrameResult.LineTooLong;
            line = body;
            return LineFrameResult.Line;
        }
    }

    /// <summary>Span overload for callers that hold a contiguous buffer (blocking transports, the load client).</summary>
    /// <param name="buffer">Unconsumed bytes.</param>
    /// <param name="consumed">How many bytes of <paramref name="buffer"/> were consumed (line, its terminator, or dropped bytes).</param>
    /// <param name="line">The line without CR/LF when the result is <see cref="LineFrameResult.Line"/>.</param>
    public LineFrameResult TryReadLine(ReadOnlySpan<byte> buffer, out int consumed, out ReadOnlySpan<byte> line)
    {
        line = default;
        consumed = 0;
        int lf = buffer.IndexOf((byte)'\n');
        if (_discarding)
        {
            if (lf < 0)
            {
                consumed = buffer.Length;
                return LineFrameResult.NeedMoreData;
            }
            consumed = lf + 1;
            _discarding = false;
            return LineFrameResult.LineTooLong;
        }

        if (lf < 0)
        {
            if (buffer.Length > IrcLimits.MaxLineBodyBytes + 1)
            {
                _discarding = true;
                consumed = buffer.Length;
            }
            return LineFrameResult.NeedMoreData;
        }

        ReadOnlySpan<byte> body = buffer[..lf];
        consumed = lf + 1;
        if (body.Length > 0 && body[^1] == (byte)'\r')
            body = body[..^1];
        if (body.Length > IrcLimits.MaxLineBodyBytes)
            return LineFrameResult.LineTooLong;
        line = body;
        return LineFrameResult.Line;
    }

    private static bool EndsWithCr(in ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
            return body.FirstSpan[^1] == (byte)'\r';
        return body.Slice(body.Length - 1).FirstSpan[0] == (byte)'\r';
    }
}
