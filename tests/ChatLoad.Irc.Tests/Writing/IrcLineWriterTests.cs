using System.Buffers;
using System.Text;
using System.Text.Unicode;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Writing;

public class IrcLineWriterTests
{
    private static string Line(string? source, string command, params string[] parameters) =>
        Encoding.UTF8.GetString(IrcLineWriter.ToArray(source, command, parameters));

    [Theory]
    [InlineData("plain", "CMD a plain\r\n")]
    [InlineData("two words", "CMD a :two words\r\n")]
    [InlineData("", "CMD a :\r\n")]
    [InlineData(":colon", "CMD a ::colon\r\n")]
    [InlineData("mid:colon", "CMD a mid:colon\r\n")]
    public void The_last_parameter_is_trailing_only_when_it_must_be(string last, string expected)
    {
        Assert.Equal(expected, Line(null, "CMD", "a", last));
    }

    [Fact]
    public void Source_is_written_with_a_colon()
    {
        Assert.Equal(":irc.example 001 bob :Welcome home\r\n", Line("irc.example", "001", "bob", "Welcome home"));
        Assert.Equal("PING\r\n", Line(null, "PING"));
    }

    [Fact]
    public void Write_and_Format_and_ToArray_agree()
    {
        var output = new ArrayBufferWriter<byte>();
        int written = IrcLineWriter.Write(output, "s", "PRIVMSG", "#c", "hi there");
        Span<byte> formatted = stackalloc byte[IrcLimits.MaxLineBytes];
        int n = IrcLineWriter.Format(formatted, "s", "PRIVMSG", "#c", "hi there");
        Assert.Equal(written, n);
        Assert.True(output.WrittenSpan.SequenceEqual(formatted[..n]));
        Assert.True(output.WrittenSpan.SequenceEqual(IrcLineWriter.ToArray("s", "PRIVMSG", "#c", "hi there")));
    }

    [Fact]
    public void A_long_line_is_cut_to_512_bytes_including_crlf()
    {
        byte[] line = IrcLineWriter.ToArray("server", "PRIVMSG", "#c", new string('x', 2000));
        Assert.Equal(IrcLimits.MaxLineBytes, line.Length);
        Assert.True(line.AsSpan().EndsWith("\r\n"u8));
        Assert.Equal(1, line.Count(b => b == (byte)'\n'));
    }

    [Theory]
    [InlineData("é")]   // 2 bytes
    [InlineData("€")]   // 3 bytes
    [InlineData("😀")]  // 4 bytes, a surrogate pair in UTF-16
    public void Truncation_never_splits_a_utf8_sequence(string character)
    {
        for (int pad = 0; pad < 4; pad++)
        {
            string text = new string('a', pad) + string.Concat(Enumerable.Repeat(character, 400));
            byte[] line = IrcLineWriter.ToArray(null, "PRIVMSG", "#c", text);
            Assert.InRange(line.Length, IrcLimits.MaxLineBytes - 4, IrcLimits.MaxLineBytes);
            Assert.True(line.AsSpan().EndsWith("\r\n"u8));
            Assert.True(Utf8.IsValid(line), $"pad {pad}: invalid UTF-8");
        }
    }

    [Fact]
    public void Line_breaks_and_nul_inside_a_parameter_cannot_inject_a_line()
    {
        string line = Line("s", "PRIVMSG", "#c", "hi\r\nQUIT :pwned\0x");
        Assert.Equal(":s PRIVMSG #c :hi  QUIT :pwned x\r\n", line);
    }
}
