using ChatLoad.Irc;

namespace ChatLoad.Irc.Tests.Names;

public class IrcCaseMappingTests
{
    [Theory]
    [InlineData("Bob", "bOB", true)]
    [InlineData("a[b]", "A{B}", true)]
    [InlineData("x\\y", "X|Y", true)]
    [InlineData("tilde~", "TILDE^", true)]
    [InlineData("#Chat", "#chat", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("ab", "abc", false)]
    [InlineData("é", "É", false)] // rfc1459 folds ASCII only
    [InlineData("a_b", "a-b", false)]
    public void Equality_follows_rfc1459(string x, string y, bool equal)
    {
        IrcCaseMapping mapping = IrcCaseMapping.Rfc1459;
        Assert.Equal(equal, mapping.Equals(x, y));
        Assert.Equal(equal, mapping.Equals(y.AsSpan(), x.AsSpan()));
        if (equal)
        {
            Assert.Equal(mapping.GetHashCode(x), mapping.GetHashCode(y));
            Assert.Equal(mapping.GetHashCode(x), mapping.GetHashCode(y.AsSpan()));
            Assert.Equal(IrcCaseMapping.ToCanonical(x), IrcCaseMapping.ToCanonical(y));
        }
    }

    [Theory]
    [InlineData('A', 'a')]
    [InlineData('Z', 'z')]
    [InlineData('[', '{')]
    [InlineData(']', '}')]
    [InlineData('\\', '|')]
    [InlineData('~', '^')]
    [InlineData('a', 'a')]
    [InlineData('{', '{')]
    [InlineData('-', '-')]
    public void Fold_maps_upper_to_lower(char upper, char lower)
    {
        Assert.Equal(lower, IrcCaseMapping.Fold(upper));
    }

    [Fact]
    public void A_dictionary_can_be_searched_with_a_span()
    {
        var nicks = new Dictionary<string, int>(IrcCaseMapping.Rfc1459) { ["Alice[away]"] = 1 };
        var lookup = nicks.GetAlternateLookup<ReadOnlySpan<char>>();
        Assert.True(lookup.TryGetValue("ALICE{AWAY}".AsSpan(), out int value));
        Assert.Equal(1, value);
        Assert.False(lookup.TryGetValue("alice".AsSpan(), out _));
    }
}
