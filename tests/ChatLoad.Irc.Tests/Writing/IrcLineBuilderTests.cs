using System.Text;
using System.Text.Unicode;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Writing;

public class IrcLineBuilderTests
{
    [Fact]
    public void Builds_a_relayed_message_from_bytes()
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendSource("alice!a@127.0.0.1"u8);
        line.AppendCommand("PRIVMSG");
        line.AppendParameter("#chat"u8);
        line.AppendTrailing("hello world"u8);
        Assert.Equal(":alice!a@127.0.0.1 PRIVMSG #chat :hello world\r\n", Encoding.UTF8.GetString(line.ToArray()));
        Assert.False(line.IsTruncated);
    }

    [Fact]
    public void Raw_bytes_are_cut_before_a_sequence_that_does_not_fit()
    {
        for (int pad = 0; pad < 4; pad++)
        {
            var buffer = new byte[IrcLimits.MaxLineBytes];
            var line = new IrcLineBuilder(buffer);
            line.AppendCommand("PRIVMSG");
            line.AppendParameter("#c"u8);
            byte[] text = Encoding.UTF8.GetBytes(new string('a', pad) + string.Concat(Enumerable.Repeat("€", 200)));
            line.AppendTrailing(text);
            byte[] result = line.ToArray();
            Assert.True(line.IsTruncated);
            Assert.True(Utf8.IsValid(result));
            Assert.InRange(result.Length, IrcLimits.MaxLineBytes - 2, IrcLimits.MaxLineBytes);
        }
    }

    [Fact]
    public void Invalid_utf8_is_relayed_as_is_and_still_cut_at_the_limit()
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = new IrcLineBuilder(buffer);
        line.AppendCommand("PRIVMSG");
        byte[] garbage = Enumerable.Repeat((byte)0x80, 1000).ToArray(); // continuation bytes only
        line.AppendTrailing(garbage);
        Assert.Equal(IrcLimits.MaxLineBytes, line.ToArray().Length);
    }

    [Fact]
    public void A_buffer_shorter_than_a_line_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new IrcLineBuilder(new byte[100]));
    }

    [Fact]
    public void Nothing_can_be_appended_after_completion()
    {
        var line = new IrcLineBuilder(new byte[IrcLimits.MaxLineBytes]);
        line.AppendCommand("PING");
        line.Complete();
        try
        {
            line.AppendParameter("x");
            Assert.Fail("expected InvalidOperationException");
        }
        catch (InvalidOperationException)
        {
        }
    }
}
