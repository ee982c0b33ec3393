using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class NickTests
{
    private const string S = ChatHarness.ServerName;

    [Theory]
    [InlineData("alice", "ALICE")]
    [InlineData("a[b]", "A{B}")]
    [InlineData("x\\y", "x|y")]
    [InlineData("same", "same")]
    public void A_nick_held_by_another_client_gets_433_case_insensitively(string first, string second)
    {
        using var harness = new ChatHarness();
        harness.Register(first);
        FakeClient other = harness.Connect();
        other.Send($"NICK {second}");
        Assert.Equal([$":{S} 433 * {second} :Nickname is already in use"], other.Take());
    }

    [Fact]
    public void A_nick_is_claimed_at_nick_time_even_before_registration()
    {
        using var harness = new ChatHarness();
        FakeClient first = harness.Connect();
        first.Send("NICK early");
        FakeClient second = harness.Connect();
        second.Send("NICK EARLY");
        Assert.Contains(" 433 ", second.Take()[0]);
    }

    [Fact]
    public void A_nick_is_free_again_after_its_holder_leaves()
    {
        using var harness = new ChatHarness();
        FakeClient first = harness.Register("reuse");
        first.Disconnect("Connection reset by peer");
        FakeClient again = harness.Register("Reuse");
        Assert.Null(again.Connection.ClosedWith);
        Assert.Equal(1, harness.Server.NickCount);
    }

    [Fact]
    public void A_nick_change_is_seen_once_by_everyone_sharing_a_channel_and_frees_the_old_nick()
    {
        using var harness = new ChatHarness();
        FakeClient changer = harness.Register("old");
        FakeClient both = harness.Register("both");
        FakeClient outsider = harness.Register("outsider");
        foreach (var c in new[] { changer, both })
        {
            c.Send("JOIN #one");
            c.Send("JOIN #two");
        }
        changer.Take();
        both.Take();

        changer.Send("NICK new");
        Assert.Equal([":old!old@127.0.0.1 NICK :new"], changer.Take());
        Assert.Equal([":old!old@127.0.0.1 NICK :new"], both.Take());
        Assert.Empty(outsider.Take());

        FakeClient taker = harness.Register("old"); // the old nick is free
        changer.Send("PRIVMSG both :hi");
        Assert.Equal([":new!old@127.0.0.1 PRIVMSG both :hi"], both.Take());
        Assert.NotNull(taker);
    }

    [Fact]
    public void Changing_only_the_case_keeps_the_nick()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("casey");
        client.Send("NICK CASEY");
        Assert.Equal([":casey!casey@127.0.0.1 NICK :CASEY"], client.Take());
        FakeClient other = harness.Connect();
        other.Send("NICK casey");
        Assert.Contains(" 433 ", other.Take()[0]);
    }
}
