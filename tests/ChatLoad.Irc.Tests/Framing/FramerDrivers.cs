using System.Buffers;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Framing;

/// <summary>One event the framer reported: a line's text, or TOO_LONG.</summary>
internal static class FramedEvent
{
    public const string TooLong = "<TOO_LONG>";
}

/// <summary>
/// Feeds chunks to the sequence overload the way a PipeReader would: unconsumed bytes stay in their segments and
/// new data arrives as a further segment, so lines straddle segment boundaries.
/// </summary>
internal sealed class SequenceFramerDriver
{
    private readonly List<byte[]> _segments = [];
    private IrcLineFramer _framer;

    public List<string> Events { get; } = [];

    /// <summary>Bytes the caller would have to keep buffered right now.</summary>
    public long Buffered => _segments.Sum(s => (long)s.Length);

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (!chunk.IsEmpty)
            _segments.Add(chunk.ToArray());
        ReadOnlySequence<byte> buffer = SequenceOf(_segments);
        long before = buffer.Length;
        while (true)
        {
            LineFrameResult result = _framer.TryReadLine(ref buffer, out ReadOnlySequence<byte> line);
            if (result == LineFrameResult.NeedMoreData)
                break;
            Events.Add(result == LineFrameResult.Line ? Encoding.UTF8.GetString(line) : FramedEvent.TooLong);
        }
        DropFront(before - buffer.Length);
    }

    private void DropFront(long count)
    {
        while (count > 0)
        {
            byte[] first = _segments[0];
            if (first.Length <= count)
            {
                _segments.RemoveAt(0);
                count -= first.Length;
            }
            else
            {
                _segments[0] = first[(int)count..];
                count = 0;
            }
        }
    }

    public static ReadOnlySequence<byte> SequenceOf(IReadOnlyList<byte[]> segments)
    {
        if (segments.Count == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(segments[0], 0);
        Segment last = first;
        for (int i = 1; i < segments.Count; i++)
            last = last.Append(segments[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

/// <summary>Feeds chunks to the span overload the way a blocking reader with one contiguous buffer would.</summary>
internal sealed class SpanFramerDriver
{
    private readonly List<byte> _buffer = [];
    private IrcLineFramer _framer;

    public List<string> Events { get; } = [];
    public int Buffered => _buffer.Count;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        _buffer.AddRange(chunk);
        while (true)
        {
            byte[] pending = _buffer.ToArray();
            LineFrameResult result = _framer.TryReadLine(pending, out int consumed, out ReadOnlySpan<byte> line);
            if (result == LineFrameResult.Line)
                Events.Add(Encoding.UTF8.GetString(line));
            else if (result == LineFrameResult.LineTooLong)
                Events.Add(FramedEvent.TooLong);
            _buffer.RemoveRange(0, consumed);
            if (result == LineFrameResult.NeedMoreData)
                break;
        }
    }
}
