using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Names;

public class IrcNameRulesTests
{
    [Theory]
    [InlineData("alice", true)]
    [InlineData("Alice_01", true)]
    [InlineData("[bot]", true)]
    [InlineData("`quote", true)]
    [InlineData("a-b", true)]
    [InlineData("{x}|^", true)]
    [InlineData("1abc", false)]   // cannot start with a digit
    [InlineData("-abc", false)]   // nor with '-'
    [InlineData("a b", false)]
    [InlineData("a,b", false)]
    [InlineData("a!b", false)]
    [InlineData("a@b", false)]
    [InlineData("#chan", false)]
    [InlineData(":x", false)]
    [InlineData("tilde~", false)]
    [InlineData("é", false)]
    [InlineData("", false)]
    [InlineData("abcdefghij", true)]   // exactly the limit used below
    [InlineData("abcdefghijk", false)] // one over
    public void Nicks_follow_rfc2812_and_the_length_limit(string nick, bool valid)
    {
        Assert.Equal(valid, IrcNameRules.IsValidNick(Encoding.UTF8.GetBytes(nick), maxLength: 10));
    }

    [Theory]
    [InlineData("#chat", true)]
    [InlineData("#C++", true)]
    [InlineData("#café", true)]
    [InlineData("##", true)]
    [InlineData("#", false)]
    [InlineData("chat", false)]
    [InlineData("&chat", false)] // only # is advertised in CHANTYPES
    [InlineData("#a b", false)]
    [InlineData("#a,b", false)]
    [InlineData("#a\ab", false)]
    [InlineData("#a\0b", false)]
    [InlineData("#a:b", false)]
    [InlineData("#a\u001bb", false)] // ESC: a terminal escape sequence in every member's client
    [InlineData("#a\tb", false)]
    [InlineData("#a\u007fb", false)]
    [InlineData("#a\u0085b", false)] // C1 control (NEL), encoded C2 85
    [InlineData("#a\u00a0b", true)]  // C2 A0 (no-break space) is not a control character
    [InlineData("#123456789", true)]   // 10 bytes: the limit used below
    [InlineData("#1234567890", false)]
    public void Channel_names_follow_the_rules(string name, bool valid)
    {
        Assert.Equal(valid, IrcNameRules.IsValidChannelName(Encoding.UTF8.GetBytes(name), maxLength: 10));
    }

    [Fact]
    public void A_channel_name_that_is_not_utf8_is_refused()
    {
        Assert.False(IrcNameRules.IsValidChannelName([(byte)'#', 0xFF, 0xFE], 50));
    }
}
