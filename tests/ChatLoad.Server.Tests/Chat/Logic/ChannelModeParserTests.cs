using ChatLoad.Server.Chat.Channels;

namespace ChatLoad.Server.Tests.Chat.Logic;

public class ChannelModeParserTests
{
    // Each expected change is "+o:bob", "-k", "+b" (a list query: no argument) ...
    [Theory]
    [InlineData("+nt", "", "+n +t")]
    [InlineData("nt", "", "+n +t")]                          // no sign means '+'
    [InlineData("+o-v", "bob alice", "+o:bob -v:alice")]
    [InlineData("+ok", "bob key", "+o:bob +k:key")]
    [InlineData("+l", "10", "+l:10")]
    [InlineData("-l", "10", "-l")]                           // -l takes no parameter: 10 is left over
    [InlineData("+l", "", "")]                               // +l without a number: dropped
    [InlineData("+k", "", "")]                               // +k without a key: dropped
    [InlineData("-k", "", "-k")]                             // -k without the key: accepted
    [InlineData("-k", "old", "-k:old")]
    [InlineData("+b", "", "+b")]                             // a list query
    [InlineData("b", "", "+b")]
    [InlineData("+b", "bad!*@*", "+b:bad!*@*")]
    [InlineData("-e+I", "x!*@* y!*@*", "-e:x!*@* +I:y!*@*")]
    [InlineData("+o", "", "")]                               // +o without a nick: dropped
    [InlineData("+xn", "", "+x +n")]                         // unknown letters are kept for 472
    [InlineData("+imnst-imnst", "", "+i +m +n +s +t -i -m -n -s -t")]
    [InlineData("+vvv", "a b", "+v:a +v:b")]                 // the third has no nick
    public void Each_letter_takes_its_parameter_by_its_class(string modes, string arguments, string expected)
    {
        string[] args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        List<ModeChange> changes = ChannelModeParser.Parse(modes, args);
        string actual = string.Join(' ', changes.Select(c => $"{(c.Adding ? '+' : '-')}{c.Letter}{(c.Argument is null ? "" : ":" + c.Argument)}"));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData('b', (int)ChannelModeKind.List)]
    [InlineData('e', (int)ChannelModeKind.List)]
    [InlineData('I', (int)ChannelModeKind.List)]
    [InlineData('k', (int)ChannelModeKind.AlwaysParameter)]
    [InlineData('l', (int)ChannelModeKind.ParameterWhenSet)]
    [InlineData('n', (int)ChannelModeKind.Flag)]
    [InlineData('o', (int)ChannelModeKind.Prefix)]
    [InlineData('v', (int)ChannelModeKind.Prefix)]
    [InlineData('q', (int)ChannelModeKind.Unknown)]
    public void Letters_fall_in_the_classes_005_advertises(char letter, int kindNumber)
    {
        var kind = (ChannelModeKind)kindNumber;
        Assert.Equal(kind, ChannelModeLetters.KindOf(letter));
        string[] groups = ChannelModeLetters.ChanModesToken.Split(',');
        int group = kind switch
        {
            ChannelModeKind.List => 0,
            ChannelModeKind.AlwaysParameter => 1,
            ChannelModeKind.ParameterWhenSet => 2,
            ChannelModeKind.Flag => 3,
            _ => -1,
        };
        if (group >= 0)
            Assert.Contains(letter, groups[group]);
        Assert.Equal(kind != ChannelModeKind.Unknown, ChannelModeLetters.All.Contains(letter));
    }

    [Theory]
    [InlineData((int)(MemberStatus.None), "", "")]
    [InlineData((int)(MemberStatus.Voice), "+", "+")]
    [InlineData((int)(MemberStatus.Operator), "@", "@")]
    [InlineData((int)(MemberStatus.Operator | MemberStatus.Voice), "@", "@+")]
    public void Prefixes_show_the_highest_status_or_all_with_multi_prefix(int statusBits, string highest, string all)
    {
        var status = (MemberStatus)statusBits;
        Assert.Equal(highest, ChannelModeLetters.HighestPrefix(status));
        Assert.Equal(all, ChannelModeLetters.AllPrefixes(status));
    }

    [Theory]
    [InlineData("beer", true)]
    [InlineData("", false)]
    [InlineData(" ", false)]
    [InlineData("passphrase with spaces", false)]
    [InlineData("a,b", false)]
    [InlineData("12345678901234567890123", true)]   // 23 characters: RFC 2812's longest
    [InlineData("123456789012345678901234", false)]
    [InlineData("tab\tkey", false)]
    [InlineData("clé", false)]                        // 7-bit ASCII only
    public void Keys_are_1_to_23_printable_ascii_characters(string key, bool valid)
    {
        Assert.Equal(valid, Channel.IsValidKey(key));
    }
}
