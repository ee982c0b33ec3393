using System.Text;
using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Parsing;

public class IrcTagsTests
{
    [Fact]
    public void The_tag_section_is_kept_raw_and_walked_tag_by_tag()
    {
        Assert.True(IrcMessage.TryParse(@"@+baz=bat;fizz=buzz;flag;+e=a\:b :src PRIVMSG #test hi"u8, out IrcMessage message));
        Assert.Equal(@"+baz=bat;fizz=buzz;flag;+e=a\:b", Encoding.UTF8.GetString(message.Tags));
        Assert.Equal("PRIVMSG", message.CommandName);

        var seen = new List<string>();
        foreach (IrcTags tag in new IrcTags(message.Tags))
            seen.Add($"{Encoding.UTF8.GetString(tag.Key)}|{Encoding.UTF8.GetString(tag.Value)}|{IrcTags.IsClientOnly(tag.Key)}");
        Assert.Equal(["+baz|bat|True", "fizz|buzz|False", "flag||False", @"+e|a\:b|True"], seen);
    }

    [Theory]
    [InlineData("label=abc", "label", true, "abc")]
    [InlineData("a=1;label=x;b", "label", true, "x")]
    [InlineData("labelx=1", "label", false, "")]
    [InlineData("", "label", false, "")]
    [InlineData(";;label=;", "label", true, "")]
    public void TryGet_finds_a_tag_by_its_exact_key(string tags, string key, bool found, string value)
    {
        Assert.Equal(found, IrcTags.TryGet(Encoding.UTF8.GetBytes(tags), Encoding.UTF8.GetBytes(key), out ReadOnlySpan<byte> actual));
        Assert.Equal(value, Encoding.UTF8.GetString(actual));
    }

    [Fact]
    public void A_line_without_tags_has_an_empty_tag_section()
    {
        Assert.True(IrcMessage.TryParse("PING x"u8, out IrcMessage message));
        Assert.True(message.Tags.IsEmpty);
    }
}
