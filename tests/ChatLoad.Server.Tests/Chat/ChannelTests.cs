using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class ChannelTests
{
    private const string S = ChatHarness.ServerName;

    [Fact]
    public void The_joiner_gets_join_names_and_end_and_members_see_the_join()
    {
        using var harness = new ChatHarness();
        FakeClient alice = harness.Register("alice");
        alice.Send("JOIN #Chat");
        Assert.Equal(
            [":alice!alice@127.0.0.1 JOIN #Chat", $":{S} 353 alice = #Chat :@alice", $":{S} 366 alice #Chat :End of /NAMES list."],
            alice.Take()); // the creator is the channel's operator

        FakeClient bob = harness.Register("bob");
        bob.Send("JOIN #chat"); // another case: the same channel, shown as first created
        Assert.Equal(
            [":bob!bob@127.0.0.1 JOIN #Chat", $":{S} 353 bob = #Chat :@alice bob", $":{S} 366 bob #Chat :End of /NAMES list."],
            bob.Take());
        Assert.Equal([":bob!bob@127.0.0.1 JOIN #Chat"], alice.Take());
    }

    [Fact]
    public void Joining_again_is_ignored()
    {
        using var harness = new ChatHarness();
        FakeClient alice = harness.Register("alice");
        alice.Send("JOIN #a");
        alice.Take();
        alice.Send("JOIN #A");
        Assert.Empty(alice.Take());
    }

    [Fact]
    public void A_comma_list_joins_each_channel_and_bad_names_get_403()
    {
        using var harness = new ChatHarness(o => o.ChannelLength = 10);
        FakeClient client = harness.Register("c");
        client.Send("JOIN #one,nohash,#two,#waytoolongname,#t:x key1,key2");
        List<string> lines = client.Take();
        Assert.Contains(":c!c@127.0.0.1 JOIN #one", lines);
        Assert.Contains(":c!c@127.0.0.1 JOIN #two", lines);
        Assert.Contains($":{S} 403 c nohash :No such channel", lines);
        Assert.Contains($":{S} 403 c #waytoolongname :No such channel", lines);
        Assert.Contains($":{S} 403 c #t:x :No such channel", lines);
        Assert.Equal(2, harness.Server.ChannelCount);
    }

    [Fact]
    public void The_channel_limit_per_client_gets_405()
    {
        using var harness = new ChatHarness(o => o.MaxChannelsPerClient = 2);
        FakeClient client = harness.Register("c");
        client.Send("JOIN #a,#b,#c");
        Assert.Contains($":{S} 405 c #c :You have joined too many channels", client.Take());
    }

    [Fact]
    public void Join_0_parts_every_channel()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("c");
        FakeClient watcher = harness.Register("w");
        client.Send("JOIN #a,#b");
        watcher.Send("JOIN #a");
        client.Take();
        watcher.Take();
        client.Send("JOIN 0");
        Assert.Equal([":c!c@127.0.0.1 PART #a :Left all channels", ":c!c@127.0.0.1 PART #b :Left all channels"], client.Take());
        Assert.Equal([":c!c@127.0.0.1 PART #a :Left all channels"], watcher.Take());
        Assert.Equal(1, harness.Server.ChannelCount); // #b emptied and is gone
    }

    [Fact]
    public void Part_is_seen_by_all_members_and_errors_are_403_and_442()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#p", 3);
        FakeClient outsider = harness.Register("outsider");

        members[0].Send("PART #p :see you");
        foreach (FakeClient member in members)
            Assert.Equal([":user0!user0@127.0.0.1 PART #p :see you"], member.Take());

        outsider.Send("PART #p");
        outsider.Send("PART #nowhere");
        Assert.Equal([$":{S} 442 outsider #p :You're not on that channel", $":{S} 403 outsider #nowhere :No such channel"], outsider.Take());

        members[1].Send("PART #p");
        Assert.Equal([":user1!user1@127.0.0.1 PART #p"], members[2].Take());
    }

    [Fact]
    public void The_last_member_leaving_removes_the_channel_and_a_new_join_recreates_it()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("c");
        client.Send("JOIN #temp");
        client.Send("TOPIC #temp :old topic");
        client.Send("PART #temp");
        Assert.Equal(0, harness.Server.ChannelCount);
        client.Take();
        client.Send("JOIN #TEMP");
        List<string> lines = client.Take();
        Assert.Equal(":c!c@127.0.0.1 JOIN #TEMP", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains(" 332 ")); // the old topic went with the old channel
    }

    [Fact]
    public void Topic_is_read_set_and_seen_by_members()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#t", 2);
        FakeClient outsider = harness.Register("outsider");

        members[0].Send("TOPIC #t");
        Assert.Equal([$":{S} 331 user0 #t :No topic is set"], members[0].Take());

        members[0].Send("TOPIC #t :Hello world");
        Assert.Equal([":user0!user0@127.0.0.1 TOPIC #t :Hello world"], members[0].Take());
        Assert.Equal([":user0!user0@127.0.0.1 TOPIC #t :Hello world"], members[1].Take());

        outsider.Send("TOPIC #t");
        List<string> read = outsider.Take();
        Assert.Equal($":{S} 332 outsider #t :Hello world", read[0]);
        Assert.StartsWith($":{S} 333 outsider #t user0!user0@127.0.0.1 ", read[1]);

        outsider.Send("TOPIC #t :mine now");
        outsider.Send("TOPIC #none");
        Assert.Equal([$":{S} 442 outsider #t :You're not on that channel", $":{S} 403 outsider #none :No such channel"], outsider.Take());

        FakeClient late = harness.Register("late");
        late.Send("JOIN #t");
        List<string> joined = late.Take();
        Assert.Equal($":{S} 332 late #t :Hello world", joined[1]);
    }

    [Fact]
    public void Names_lists_members_and_answers_366_for_unknown_channels()
    {
        using var harness = new ChatHarness();
        harness.RegisterInChannel("#n", 3);
        FakeClient asker = harness.Register("asker");
        asker.Send("NAMES #n,#ghost");
        Assert.Equal(
            [$":{S} 353 asker = #n :@user0 user1 user2", $":{S} 366 asker #n,#ghost :End of /NAMES list."],
            asker.Take());
        asker.Send("NAMES #ghost");
        Assert.Equal([$":{S} 366 asker #ghost :End of /NAMES list."], asker.Take());
    }

    [Fact]
    public void Names_of_a_big_channel_split_into_lines_of_at_most_512_bytes()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#big", 300, prefix: "member_with_long_nick_");
        members[0].Send("NAMES #big");
        List<string> lines = members[0].Take();
        Assert.True(lines.Count > 2);
        Assert.All(lines, l => Assert.InRange(l.Length + 2, 0, 512));
        var names = lines.Where(l => l.Contains(" 353 ")).SelectMany(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ')).ToList();
        Assert.Equal(members.Select((_, i) => (i == 0 ? "@" : "") + $"member_with_long_nick_{i}"), names);
    }

    [Fact]
    public void Who_lists_each_member_then_315()
    {
        using var harness = new ChatHarness();
        harness.RegisterInChannel("#w", 2);
        FakeClient asker = harness.Register("asker");
        asker.Send("WHO #w");
        Assert.Equal(
            [$":{S} 352 asker #w user0 127.0.0.1 {S} user0 H@ :0 Real user0",
             $":{S} 352 asker #w user1 127.0.0.1 {S} user1 H :0 Real user1",
             $":{S} 315 asker #w :End of /WHO list."],
            asker.Take());
        asker.Send("WHO user1");
        Assert.Equal(2, asker.Take().Count);
    }

    [Fact]
    public void Mode_queries_answer_with_the_channel_and_user_modes()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("m");
        client.Send("JOIN #m");
        client.Take();
        client.Send("MODE #m");
        client.Send("MODE #m b");
        client.Send("MODE m");
        client.Send("MODE m +i");
        client.Send("MODE m +x");
        client.Send("MODE other +i");
        Assert.Equal(
            [$":{S} 324 m #m +nt", $":{S} 329 m #m 1767225600", $":{S} 368 m #m :End of channel ban list",
             $":{S} 221 m +", ":m!m@127.0.0.1 MODE m +i", $":{S} 501 m :Unknown MODE flag", $":{S} 502 m :Can't change mode for other users"],
            client.Take());
    }
}
