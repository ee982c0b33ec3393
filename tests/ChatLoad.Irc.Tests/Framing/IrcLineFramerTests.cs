using System.Buffers;
using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Framing;

public class IrcLineFramerTests
{
    private const string TwoLines = "NICK alice\r\nPRIVMSG #chat :hello there\r\n";
    private static readonly string[] TwoLinesParsed = ["NICK alice", "PRIVMSG #chat :hello there"];

    [Fact]
    public void Sequence_every_split_point_yields_the_same_lines()
    {
        byte[] input = Encoding.ASCII.GetBytes(TwoLines);
        for (int split = 0; split <= input.Length; split++)
        {
            var driver = new SequenceFramerDriver();
            driver.Feed(input.AsSpan(0, split));
            driver.Feed(input.AsSpan(split));
            Assert.Equal(TwoLinesParsed, driver.Events);
            Assert.Equal(0, driver.Buffered);
        }
    }

    [Fact]
    public void Sequence_one_byte_at_a_time_yields_the_same_lines()
    {
        var driver = new SequenceFramerDriver();
        foreach (byte b in Encoding.ASCII.GetBytes(TwoLines))
            driver.Feed([b]);
        Assert.Equal(TwoLinesParsed, driver.Events);
    }

    [Fact]
    public void Sequence_a_line_spread_over_one_segment_per_byte_is_found()
    {
        byte[] input = Encoding.ASCII.GetBytes(TwoLines);
        var segments = input.Select(b => new[] { b }).ToList();
        ReadOnlySequence<byte> buffer = SequenceFramerDriver.SequenceOf(segments);
        var framer = new IrcLineFramer();
        var lines = new List<string>();
        while (framer.TryReadLine(ref buffer, out ReadOnlySequence<byte> line) == LineFrameResult.Line)
            lines.Add(Encoding.ASCII.GetString(line));
        Assert.Equal(TwoLinesParsed, lines);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Span_every_split_point_yields_the_same_lines()
    {
        byte[] input = Encoding.ASCII.GetBytes(TwoLines);
        for (int split = 0; split <= input.Length; split++)
        {
            var driver = new SpanFramerDriver();
            driver.Feed(input.AsSpan(0, split));
            driver.Feed(input.AsSpan(split));
            Assert.Equal(TwoLinesParsed, driver.Events);
            Assert.Equal(0, driver.Buffered);
        }
    }

    [Fact]
    public void Span_one_byte_at_a_time_yields_the_same_lines()
    {
        var driver = new SpanFramerDriver();
        foreach (byte b in Encoding.ASCII.GetBytes(TwoLines))
            driver.Feed([b]);
        Assert.Equal(TwoLinesParsed, driver.Events);
    }

    [Theory]
    [InlineData("PING a\r\nPING b\nPING c\r\n")]
    [InlineData("PING a\nPING b\r\nPING c\n")]
    public void Crlf_and_bare_lf_both_end_a_line(string input)
    {
        var sequence = new SequenceFramerDriver();
        var span = new SpanFramerDriver();
        sequence.Feed(Encoding.ASCII.GetBytes(input));
        span.Feed(Encoding.ASCII.GetBytes(input));
        Assert.Equal(["PING a", "PING b", "PING c"], sequence.Events);
        Assert.Equal(["PING a", "PING b", "PING c"], span.Events);
    }

    [Fact]
    public void An_incomplete_line_is_kept_until_its_newline_arrives()
    {
        var driver = new SequenceFramerDriver();
        driver.Feed("PING ab"u8);
        Assert.Empty(driver.Events);
        Assert.Equal(7, driver.Buffered);
        driver.Feed("c\r\n"u8);
        Assert.Equal(["PING abc"], driver.Events);
    }

    [Theory]
    [InlineData(510, false)] // the longest legal body: 510 + CRLF = 512
    [InlineData(511, true)]
    [InlineData(600, true)]
    public void Body_length_limit_is_510_bytes(int bodyLength, bool tooLong)
    {
        string body = "PRIVMSG #c :" + new string('x', bodyLength - 12);
        string input = body + "\r\nPING next\r\n";
        foreach (int chunk in new[] { 1, 7, 64, 511, 100_000 })
        {
            var sequence = new SequenceFramerDriver();
            var span = new SpanFramerDriver();
            foreach (byte[] part in Encoding.ASCII.GetBytes(input).Chunk(chunk))
            {
                sequence.Feed(part);
                span.Feed(part);
            }
            string[] expected = tooLong ? [FramedEvent.TooLong, "PING next"] : [body, "PING next"];
            Assert.Equal(expected, sequence.Events);
            Assert.Equal(expected, span.Events);
        }
    }

    [Fact]
    public void An_over_long_line_reports_once_and_the_next_line_still_parses()
    {
        string input = new string('a', 2000) + "\r\nNICK bob\r\n";
        foreach (int chunk in new[] { 1, 3, 100, 513, 4096 })
        {
            var sequence = new SequenceFramerDriver();
            var span = new SpanFramerDriver();
            foreach (byte[] part in Encoding.ASCII.GetBytes(input).Chunk(chunk))
            {
                sequence.Feed(part);
                span.Feed(part);
            }
            Assert.Equal([FramedEvent.TooLong, "NICK bob"], sequence.Events);
            Assert.Equal([FramedEvent.TooLong, "NICK bob"], span.Events);
        }
    }

    [Fact]
    public void One_MiB_without_a_newline_keeps_the_buffer_bounded()
    {
        var sequence = new SequenceFramerDriver();
        var span = new SpanFramerDriver();
        byte[] chunk = new byte[4096];
        Array.Fill(chunk, (byte)'z');
        long maxSequenceBuffered = 0, maxSpanBuffered = 0;
        for (int i = 0; i < 256; i++) // 1 MiB
        {
            sequence.Feed(chunk);
            span.Feed(chunk);
            maxSequenceBuffered = Math.Max(maxSequenceBuffered, sequence.Buffered);
            maxSpanBuffered = Math.Max(maxSpanBuffered, span.Buffered);
        }
        // What stays buffered between reads never exceeds one legal line.
        Assert.InRange(maxSequenceBuffered, 0, IrcLimits.MaxLineBytes);
        Assert.InRange(maxSpanBuffered, 0, IrcLimits.MaxLineBytes);
        Assert.Empty(sequence.Events);

        sequence.Feed("\r\nPING still-here\r\n"u8);
        span.Feed("\r\nPING still-here\r\n"u8);
        Assert.Equal([FramedEvent.TooLong, "PING still-here"], sequence.Events);
        Assert.Equal([FramedEvent.TooLong, "PING still-here"], span.Events);
    }

    [Fact]
    public void Empty_lines_are_delivered_as_empty()
    {
        var driver = new SpanFramerDriver();
        driver.Feed("\r\n\nPING x\r\n"u8);
        Assert.Equal(["", "", "PING x"], driver.Events);
    }
}
