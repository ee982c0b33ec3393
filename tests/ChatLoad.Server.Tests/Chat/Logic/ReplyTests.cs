using System.Text;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Chat.Commands;
using ChatLoad.Server.Chat.Replies;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat.Logic;

/// <summary>How multi-line replies are cut: 005 tokens, word lists, list filters.</summary>
public class ReplyTests
{
    private const string S = ChatHarness.ServerName;

    [Fact]
    public void Isupport_tokens_are_split_into_lines_of_at_most_13_tokens_and_512_bytes()
    {
        using var harness = new ChatHarness(o => o.NetworkName = new string('N', 200)); // a long token forces byte-based splits
        FakeClient client = harness.Register("a_rather_long_nick_for_this");
        client.Send("VERSION");
        List<string> isupport = client.Take().Where(l => l.Contains(" 005 ")).ToList();
        var tokens = IsupportTokens.For(harness.Options, new string('N', 200)).Tokens;

        Assert.True(isupport.Count >= 2);
        Assert.All(isupport, l => Assert.InRange(Encoding.UTF8.GetByteCount(l) + 2, 1, 512));
        Assert.All(isupport, l => Assert.EndsWith(" :are supported by this server", l));
        var sent = isupport.SelectMany(l => l.Split(" :")[0].Split(' ').Skip(3)).ToList();
        Assert.All(isupport, l => Assert.InRange(l.Split(" :")[0].Split(' ').Length - 3, 1, IsupportTokens.MaxTokensPerLine));
        Assert.Equal(tokens, sent); // every token exactly once, in order
    }

    [Fact]
    public void A_token_with_a_space_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new IsupportTokens().Add("NETWORK", "two words"));
    }

    [Fact]
    public void Word_lists_fill_lines_up_to_512_bytes_and_repeat_their_fixed_parameters()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("asker");
        var session = (ClientSession)client.Session;
        var output = new ReplyBuffer(session);
        output.StartWords("353", "=", "#words");
        var words = Enumerable.Range(0, 200).Select(i => $"word{i:000}").ToList();
        foreach (string word in words)
            output.Word(word);
        output.EndWords();
        output.Send();

        List<string> lines = client.Take();
        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.StartsWith($":{S} 353 asker = #words :", l));
        Assert.All(lines, l => Assert.InRange(l.Length + 2, 1, 512));
        Assert.All(lines[..^1], l => Assert.InRange(l.Length + 2, 512 - 8, 512)); // full lines are full: no word would have fit
        Assert.Equal(words, lines.SelectMany(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ')));
    }

    [Fact]
    public void An_empty_word_list_writes_nothing_unless_asked()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("asker");
        var output = new ReplyBuffer((ClientSession)client.Session);
        output.StartWords("319", "nobody");
        output.EndWords();
        output.StartCommaList("303");
        output.EndWords(evenIfEmpty: true);
        output.Send();
        Assert.Equal([$":{S} 303 asker :"], client.Take());
    }

    [Theory]
    [InlineData("", "*")]
    [InlineData("plain", "plain")]
    [InlineData(":colon", "colon")]
    [InlineData("two words", "two_words")]
    [InlineData(":", "*")]
    public void Middle_parameters_never_shift_the_ones_after_them(string given, string written)
    {
        Assert.Equal(written, ReplyBuffer.AsMiddleParameter(given));
    }

    [Theory]
    [InlineData("", "#chan1 #chan2 #other")]
    [InlineData("#chan1", "#chan1")]
    [InlineData("#CHAN1,#other", "#chan1 #other")]
    [InlineData("*an1", "#chan1")]
    [InlineData("#c*n*", "#chan1 #chan2")]
    [InlineData("!*an1", "#chan2 #other")]
    [InlineData("!#c*,!*er", "")]
    [InlineData(">1", "#chan2")]
    [InlineData("<2", "#chan1 #other")]
    [InlineData(">0,<3,#c*", "#chan1 #chan2")]
    [InlineData(">x", "")]   // unparsable: lists nothing rather than everything
    public void List_filters_combine_names_counts_and_negated_masks(string filter, string expected)
    {
        using var harness = new ChatHarness();
        harness.Register("a").Send("JOIN #chan1,#chan2");
        harness.Register("b").Send("JOIN #chan2,#other");
        harness.Register("c").Send("PART #other");
        ChatNetwork network = ((ClientSession)harness.Register("asker").Session).Network;
        var channels = new[] { "#chan1", "#chan2", "#other" }.Select(n => network.Channels.Find(n)!).ToList();

        List<Func<Channel, bool>> filters = filter.Length == 0 ? [] : ListCommand.ParseFilters(filter);
        string listed = string.Join(' ', channels.Where(c => filters.TrueForAll(f => f(c))).Select(c => c.Name));
        Assert.Equal(expected, listed);
    }
}
