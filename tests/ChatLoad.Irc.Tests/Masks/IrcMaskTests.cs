using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Masks;

public class IrcMaskTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("?", "a", true)]
    [InlineData("?", "", false)]
    [InlineData("?", "ab", false)]
    [InlineData("coolni*", "coolNick", true)]            // case-insensitive
    [InlineData("*an1", "#chan1", true)]
    [InlineData("*an1", "#chan2", false)]
    [InlineData("#c*n2", "#chan2", true)]
    [InlineData("#c*n2", "#chan2x", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)] // would be exponential with naive backtracking
    [InlineData("bar!*@*", "Bar!username@127.0.0.1", true)]
    [InlineData("ba*!*@*", "Bar!u@h", true)]
    [InlineData("*ar!*@*", "bar!u@h", true)]
    [InlineData("bar!*@*", "barbara!u@h", false)]
    [InlineData("nick[1]!*@*", "NICK{1}!u@h", true)]     // rfc1459: [] are the upper case of {}
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    public void Matches_with_star_question_mark_and_rfc1459_case(string mask, string text, bool expected)
    {
        Assert.Equal(expected, IrcMask.IsMatch(mask, text));
    }

    [Theory]
    [InlineData("bob", "bob!*@*")]
    [InlineData("*@host", "*!*@host")]
    [InlineData("user@host", "*!user@host")]
    [InlineData("nick!user", "nick!user@*")]
    [InlineData("nick!user@host", "nick!user@host")]
    [InlineData("!@", "*!*@*")]
    [InlineData("a!b@c@d", "a!b@c@d")]
    [InlineData("*!*@*", "*!*@*")]
    public void Ban_style_masks_are_completed_to_nick_user_host(string given, string expected)
    {
        Assert.Equal(expected, IrcMask.ToHostmask(given));
    }

    [Theory]
    [InlineData("nick", false)]
    [InlineData("ni*k", true)]
    [InlineData("nic?", true)]
    [InlineData("#chan", false)]
    public void Wildcards_are_star_and_question_mark(string mask, bool expected)
    {
        Assert.Equal(expected, IrcMask.HasWildcards(mask));
    }
}
