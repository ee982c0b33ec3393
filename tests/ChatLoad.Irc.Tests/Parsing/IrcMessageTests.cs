using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Parsing;

public class IrcMessageTests
{
    private static string[] Parameters(in IrcMessage message)
    {
        var list = new string[message.ParameterCount];
        for (int i = 0; i < list.Length; i++)
            list[i] = message.GetString(i);
        return list;
    }

    [Fact]
    public void Tags_source_command_middle_and_trailing_are_split()
    {
        Assert.True(IrcMessage.TryParse("@time=2026-01-01T00:00:00Z;x=y :nick!user@host PRIVMSG #chan :hello world"u8, out IrcMessage m));
        Assert.Equal("nick!user@host", Encoding.ASCII.GetString(m.Source));
        Assert.Equal("PRIVMSG", Encoding.ASCII.GetString(m.Command));
        Assert.Equal(["#chan", "hello world"], Parameters(m));
        Assert.True(m.HasTrailing);
    }

    [Fact]
    public void A_line_without_source_or_trailing_parses()
    {
        Assert.True(IrcMessage.TryParse("user alice 0 * realname"u8, out IrcMessage m));
        Assert.True(m.Source.IsEmpty);
        Assert.True(m.IsCommand("USER"u8));
        Assert.Equal("USER", m.CommandName);
        Assert.Equal(["alice", "0", "*", "realname"], Parameters(m));
        Assert.False(m.HasTrailing);
    }

    [Fact]
    public void An_empty_trailing_is_a_parameter()
    {
        Assert.True(IrcMessage.TryParse("TOPIC #a :"u8, out IrcMessage m));
        Assert.Equal(2, m.ParameterCount);
        Assert.True(m[1].IsEmpty);
        Assert.True(m.HasTrailing);
    }

    [Fact]
    public void Trailing_keeps_colons_and_repeated_spaces()
    {
        Assert.True(IrcMessage.TryParse("PRIVMSG bob ::-)  twice  "u8, out IrcMessage m));
        Assert.Equal(":-)  twice  ", m.GetString(1));
    }

    [Fact]
    public void Repeated_spaces_between_parameters_are_one_separator()
    {
        Assert.True(IrcMessage.TryParse("JOIN    #a    key"u8, out IrcMessage m));
        Assert.Equal(["#a", "key"], Parameters(m));
    }

    [Fact]
    public void More_than_15_parameters_fold_into_the_15th()
    {
        string line = "CMD " + string.Join(' ', Enumerable.Range(1, 20));
        Assert.True(IrcMessage.TryParse(Encoding.ASCII.GetBytes(line), out IrcMessage m));
        Assert.Equal(IrcLimits.MaxParameters, m.ParameterCount);
        Assert.Equal("14", m.GetString(13));
        Assert.Equal("15 16 17 18 19 20", m.GetString(14));
    }

    [Fact]
    public void A_trailing_in_15th_place_drops_its_colon()
    {
        string line = "CMD " + string.Join(' ', Enumerable.Range(1, 14)) + " :last words";
        Assert.True(IrcMessage.TryParse(Encoding.ASCII.GetBytes(line), out IrcMessage m));
        Assert.Equal(15, m.ParameterCount);
        Assert.Equal("last words", m.GetString(14));
        Assert.True(m.HasTrailing);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":onlysource")]
    [InlineData("@tags=only")]
    [InlineData("@tags :source")]
    public void A_line_without_a_command_is_rejected(string line)
    {
        Assert.False(IrcMessage.TryParse(Encoding.ASCII.GetBytes(line), out _));
    }

    [Fact]
    public void Invalid_utf8_parses_and_decodes_to_replacement_characters()
    {
        byte[] line = [.. "PRIVMSG #a :"u8, 0xFF, 0xFE, (byte)'o', (byte)'k', 0xC3];
        Assert.True(IrcMessage.TryParse(line, out IrcMessage m));
        Assert.Equal(2, m.ParameterCount);
        Assert.Equal("\uFFFD\uFFFDok\uFFFD", m.GetString(1));
        Assert.Equal("", IrcMessageCommandName([0xFF, (byte)' ', (byte)'x']));
    }

    private static string IrcMessageCommandName(byte[] line)
    {
        Assert.True(IrcMessage.TryParse(line, out IrcMessage m));
        return m.CommandName; // a non-ASCII command has no upper-case name and must not throw
    }

    [Fact]
    public void Random_bytes_never_throw_and_respect_the_parameter_limit()
    {
        var random = new Random(1234);
        byte[] alphabet = [.. " :@#!,\r\0\xFF"u8, (byte)'a', (byte)'B', 0xC3, 0xA9, 0x80];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] line = new byte[random.Next(0, 80)];
            for (int j = 0; j < line.Length; j++)
                line[j] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            if (IrcMessage.TryParse(line, out IrcMessage m))
            {
                Assert.InRange(m.ParameterCount, 0, IrcLimits.MaxParameters);
                Assert.False(m.Command.IsEmpty);
                for (int p = 0; p < m.ParameterCount; p++)
                    _ = m.GetString(p);
                _ = m.CommandName;
            }
        }
    }

    [Fact]
    public void Reading_past_the_last_parameter_throws_a_clear_error()
    {
        Assert.True(IrcMessage.TryParse("PING x"u8, out IrcMessage m));
        try
        {
            _ = m[1];
            Assert.Fail("expected ArgumentOutOfRangeException");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
    }
}
