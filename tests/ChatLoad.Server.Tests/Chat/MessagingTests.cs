using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class MessagingTests
{
    private const string S = ChatHarness.ServerName;

    [Fact]
    public void A_channel_message_reaches_every_other_member_exactly_once_as_one_shared_array()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#fan", 200);

        members[7].Send("PRIVMSG #fan :hello everyone");

        Assert.Empty(members[7].Take()); // no echo to the sender
        var arrays = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (FakeClient member in members.Where((_, i) => i != 7))
        {
            Assert.Equal([":user7!user7@127.0.0.1 PRIVMSG #fan :hello everyone"], member.Take());
            arrays.Add(member.Connection.SentArrays().Last());
        }
        Assert.Single(arrays); // serialized once, the same bytes queued to all 199
    }

    [Fact]
    public void Concurrent_senders_reach_each_member_exactly_once_in_each_senders_order()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#busy", 40);
        const int senders = 4, messagesEach = 200;

        Parallel.For(0, senders, new ParallelOptions { MaxDegreeOfParallelism = senders }, s =>
        {
            for (int m = 0; m < messagesEach; m++)
                members[s].Send($"PRIVMSG #busy :{s}:{m}");
        });

        for (int i = 0; i < members.Count; i++)
        {
            List<string> got = members[i].Take();
            int expected = i < senders ? (senders - 1) * messagesEach : senders * messagesEach;
            Assert.Equal(expected, got.Count);
            for (int s = 0; s < senders; s++)
            {
                if (s == i)
                    continue;
                var fromSender = got.Where(l => l.StartsWith($":user{s}!", StringComparison.Ordinal))
                    .Select(l => int.Parse(l[(l.LastIndexOf(':') + 1)..])).ToList();
                Assert.Equal(Enumerable.Range(0, messagesEach), fromSender);
            }
        }
    }

    [Fact]
    public async Task Members_joining_and_leaving_during_fan_out_never_get_a_message_twice()
    {
        using var harness = new ChatHarness();
        List<FakeClient> stable = harness.RegisterInChannel("#churn", 10);
        List<FakeClient> churners = Enumerable.Range(0, 5).Select(i => harness.Register($"churn{i}")).ToList();
        const int messages = 300;

        var sender = Task.Run(() =>
        {
            for (int m = 0; m < messages; m++)
                stable[0].Send($"PRIVMSG #churn :{m}");
        });
        var churn = Task.Run(() =>
        {
            for (int round = 0; round < 40; round++)
            {
                foreach (FakeClient c in churners)
                {
                    c.Send("JOIN #churn");
                    c.Send("PART #churn");
                }
            }
        });
        await Task.WhenAll(sender, churn);

        foreach (FakeClient member in stable.Skip(1))
        {
            var numbers = member.Take().Where(l => l.Contains(" PRIVMSG ")).Select(l => int.Parse(l[(l.LastIndexOf(':') + 1)..])).ToList();
            Assert.Equal(Enumerable.Range(0, messages), numbers);
        }
        foreach (FakeClient c in churners)
        {
            var numbers = c.Take().Where(l => l.Contains(" PRIVMSG ")).Select(l => int.Parse(l[(l.LastIndexOf(':') + 1)..])).ToList();
            Assert.Equal(numbers.Distinct().Count(), numbers.Count);
            Assert.Equal(numbers.Order(), numbers);
        }
    }

    [Fact]
    public void Private_messages_and_notices_reach_the_nick_case_insensitively()
    {
        using var harness = new ChatHarness();
        FakeClient alice = harness.Register("Alice");
        FakeClient bob = harness.Register("bob");
        alice.Send("PRIVMSG BOB :hi bob");
        alice.Send("NOTICE bob :psst");
        Assert.Equal([":Alice!alice@127.0.0.1 PRIVMSG bob :hi bob", ":Alice!alice@127.0.0.1 NOTICE bob :psst"], bob.Take());
        Assert.Empty(alice.Take());
    }

    [Fact]
    public void A_comma_list_of_targets_gets_one_copy_each()
    {
        using var harness = new ChatHarness();
        FakeClient alice = harness.Register("alice");
        FakeClient bob = harness.Register("bob");
        FakeClient carol = harness.Register("carol");
        carol.Send("JOIN #c");
        alice.Send("JOIN #c");
        carol.Take();
        alice.Send("PRIVMSG bob,#c :to both");
        Assert.Equal([":alice!alice@127.0.0.1 PRIVMSG bob :to both"], bob.Take());
        Assert.Equal([":alice!alice@127.0.0.1 PRIVMSG #c :to both"], carol.Take());
    }

    [Fact]
    public void Message_errors_401_403_404_411_412()
    {
        using var harness = new ChatHarness();
        FakeClient alice = harness.Register("alice");
        FakeClient other = harness.Register("other");
        other.Send("JOIN #closed");
        FakeClient unregistered = harness.Connect();
        unregistered.Send("NICK halfway");

        alice.Send("PRIVMSG nobody :x");
        alice.Send("PRIVMSG halfway :x"); // holds a nick but is not registered: not reachable
        alice.Send("PRIVMSG #nowhere :x");
        alice.Send("PRIVMSG #closed :x");
        alice.Send("PRIVMSG");
        alice.Send("PRIVMSG bob");
        alice.Send("PRIVMSG other :");
        Assert.Equal(
            [$":{S} 401 alice nobody :No such nick/channel", $":{S} 401 alice halfway :No such nick/channel",
             $":{S} 403 alice #nowhere :No such channel", $":{S} 404 alice #closed :Cannot send to channel",
             $":{S} 411 alice :No recipient given (PRIVMSG)", $":{S} 412 alice :No text to send", $":{S} 412 alice :No text to send"],
            alice.Take());
        Assert.Empty(unregistered.Take());
    }

    [Fact]
    public void Notice_never_gets_an_error_reply()
    {
        using var harness = new ChatHarness();
        FakeClient alice = harness.Register("alice");
        harness.Register("other").Send("JOIN #closed");
        alice.Send("NOTICE nobody :x");
        alice.Send("NOTICE #nowhere :x");
        alice.Send("NOTICE #closed :x");
        alice.Send("NOTICE");
        alice.Send("NOTICE alice");
        Assert.Empty(alice.Take());
    }

    [Fact]
    public void Relayed_lines_are_cut_to_512_bytes_without_splitting_utf8()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#long", 2, prefix: "a_rather_long_nickname_");
        string text = string.Concat(Enumerable.Repeat("ü", 240)); // 480 bytes: the relayed line would pass 512
        members[0].Send($"PRIVMSG #long :{text}");
        byte[] relayed = members[1].Connection.SentArrays().Last();
        Assert.InRange(relayed.Length, 500, 512);
        Assert.True(System.Text.Unicode.Utf8.IsValid(relayed));
        Assert.EndsWith("\r\n", System.Text.Encoding.UTF8.GetString(relayed));
    }
}
