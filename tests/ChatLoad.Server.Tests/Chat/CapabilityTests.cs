using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>IRCv3 capabilities as clients see them, on the core with fake connections.</summary>
public class CapabilityTests
{
    private const string S = ChatHarness.ServerName;

    private static FakeClient RegisterWith(ChatHarness harness, string nick, string capabilities)
    {
        FakeClient client = harness.Connect();
        client.Send("CAP LS 302");
        client.Send("CAP REQ :" + capabilities);
        client.Send($"NICK {nick}");
        client.Send($"USER {nick} 0 * :Real {nick}");
        client.Send("CAP END");
        List<string> lines = client.Take();
        Assert.Contains($":{S} CAP * ACK :{capabilities}", lines);
        Assert.Contains(lines, l => l.StartsWith($":{S} 001 {nick} ", StringComparison.Ordinal));
        return client;
    }

    [Fact]
    public void Tags_go_only_to_clients_that_asked_and_echo_message_returns_the_same_msgid()
    {
        using var harness = new ChatHarness();
        FakeClient alice = RegisterWith(harness, "alice", "message-tags echo-message");
        FakeClient bob = RegisterWith(harness, "bob", "message-tags");
        FakeClient carol = harness.Register("carol");
        FakeClient dave = RegisterWith(harness, "dave", "server-time");
        foreach (FakeClient c in new[] { alice, bob, carol, dave })
            c.Send("JOIN #test");
        foreach (FakeClient c in new[] { alice, bob, carol, dave })
            c.Take();

        alice.Send("@+baz=bat;fizz=buzz PRIVMSG #test :hi");
        string echo = Assert.Single(alice.Take());
        string toBob = Assert.Single(bob.Take());
        Assert.Matches(@"^@msgid=[0-9a-f]+;\+baz=bat :alice!alice@127\.0\.0\.1 PRIVMSG #test :hi$", toBob);
        Assert.Equal(toBob, echo);
        Assert.Equal([":alice!alice@127.0.0.1 PRIVMSG #test :hi"], carol.Take());
        Assert.Matches(@"^@time=2026-01-01T00:00:00\.000Z :alice!alice@127\.0\.0\.1 PRIVMSG #test :hi$", Assert.Single(dave.Take()));

        alice.Send("@+typing=active TAGMSG #test");
        Assert.Contains("+typing=active", Assert.Single(bob.Take()));
        Assert.Empty(carol.Take());                      // TAGMSG only reaches message-tags clients
        Assert.Empty(dave.Take());
    }

    [Fact]
    public void A_labeled_command_gets_its_replies_labeled_batched_or_acked()
    {
        using var harness = new ChatHarness();
        FakeClient client = RegisterWith(harness, "lab", "batch labeled-response");
        client.Send("@label=one PING x");
        Assert.Equal([$"@label=one :{S} PONG {S} :x"], client.Take());
        client.Send("@label=two PONG x");
        Assert.Equal([$"@label=two :{S} ACK"], client.Take());
        client.Send("@label=three WHOIS lab");
        List<string> batch = client.Take();
        Assert.Matches(@$"^@label=three :{S} BATCH \+(\w+) labeled-response$", batch[0]);
        string id = batch[0].Split('+')[1].Split(' ')[0];
        Assert.All(batch[1..^1], l => Assert.StartsWith($"@batch={id} :{S} 3", l));
        Assert.Equal($":{S} BATCH -{id}", batch[^1]);
        client.Send("@label=four NOSUCHCOMMAND");
        Assert.Equal([$"@label=four :{S} 421 lab NOSUCHCOMMAND :Unknown command"], client.Take());
    }

    [Fact]
    public void Away_notify_extended_join_and_setname_reach_the_peers_that_asked()
    {
        using var harness = new ChatHarness();
        FakeClient watcher = RegisterWith(harness, "watcher", "away-notify extended-join setname");
        FakeClient plain = harness.Register("plain");
        watcher.Send("JOIN #a");
        plain.Send("JOIN #a");
        watcher.Take();
        plain.Take();

        FakeClient joiner = harness.Register("joiner");
        joiner.Send("AWAY :busy");
        joiner.Send("JOIN #a");
        Assert.Equal([":joiner!joiner@127.0.0.1 JOIN #a * :Real joiner", ":joiner!joiner@127.0.0.1 AWAY :busy"], watcher.Take());
        Assert.Equal([":joiner!joiner@127.0.0.1 JOIN #a"], plain.Take());

        joiner.Send("AWAY");
        Assert.Equal([":joiner!joiner@127.0.0.1 AWAY"], watcher.Take());
        joiner.Send("SETNAME :New Name");
        Assert.Equal([":joiner!joiner@127.0.0.1 SETNAME :New Name"], watcher.Take());
        Assert.Empty(plain.Take());
        plain.Send("WHOIS joiner");
        Assert.Equal($":{S} 311 plain joiner joiner 127.0.0.1 * :New Name", plain.Take()[0]);
    }

    [Fact]
    public void Multi_prefix_and_userhost_in_names_change_names_and_who()
    {
        using var harness = new ChatHarness();
        FakeClient op = harness.Register("op");
        op.Send("JOIN #p");
        op.Send("MODE #p +v op");
        FakeClient viewer = RegisterWith(harness, "viewer", "multi-prefix userhost-in-names");
        viewer.Send("JOIN #p");
        Assert.Contains($":{S} 353 viewer = #p :@+op!op@127.0.0.1 viewer!viewer@127.0.0.1", viewer.Take());
        viewer.Send("WHO #p");
        Assert.Contains($":{S} 352 viewer #p op 127.0.0.1 {S} op H@+ :0 Real op", viewer.Take());
        FakeClient plain = harness.Register("plain");
        plain.Send("NAMES #p");
        Assert.Equal($":{S} 353 plain = #p :@op viewer", plain.Take()[0]);
    }

    [Fact]
    public void Monitor_reports_online_and_offline_and_respects_its_limit()
    {
        using var harness = new ChatHarness(o => o.MaxMonitorEntries = 2);
        FakeClient watcher = harness.Register("watcher");
        harness.Register("here");
        watcher.Send("MONITOR + here,later,third");
        Assert.Equal(
            [$":{S} 734 watcher 2 third :Monitor list is full.", $":{S} 730 watcher :here!here@127.0.0.1", $":{S} 731 watcher :later,third"],
            watcher.Take());
        FakeClient later = harness.Register("later");
        Assert.Equal([$":{S} 730 watcher :later!later@127.0.0.1"], watcher.Take());
        later.Send("NICK renamed");
        Assert.Equal([$":{S} 731 watcher :later"], watcher.Take());
        watcher.Send("MONITOR L");
        Assert.Equal([$":{S} 732 watcher :here,later", $":{S} 733 watcher :End of MONITOR list"], watcher.Take());
        watcher.Send("MONITOR - here");
        watcher.Send("MONITOR S");
        Assert.Equal([$":{S} 731 watcher :later"], watcher.Take());
        watcher.Send("MONITOR C");
        watcher.Send("MONITOR L");
        Assert.Equal([$":{S} 733 watcher :End of MONITOR list"], watcher.Take());
    }

    [Fact]
    public void Cap_req_minus_removes_and_cap_list_shows_what_is_on()
    {
        using var harness = new ChatHarness();
        FakeClient client = RegisterWith(harness, "c", "echo-message server-time");
        client.Send("CAP REQ :-server-time");
        client.Send("CAP LIST");
        Assert.Equal([$":{S} CAP c ACK :-server-time", $":{S} CAP c LIST :cap-notify echo-message"], client.Take());
    }

    [Fact]
    public void Turning_tags_on_and_off_after_joining_changes_what_the_channel_sends()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#late", 3);
        c[1].Send("CAP REQ :server-time");                 // after joining: the channel must notice
        c[1].Take();
        c[0].Send("PRIVMSG #late :one");
        Assert.StartsWith("@time=", Assert.Single(c[1].Take()));
        Assert.Equal([":user0!user0@127.0.0.1 PRIVMSG #late :one"], c[2].Take());

        c[1].Send("CAP REQ :-server-time");
        c[1].Take();
        c[0].Send("PRIVMSG #late :two");
        Assert.Equal([":user0!user0@127.0.0.1 PRIVMSG #late :two"], c[1].Take());

        c[2].Send("CAP REQ :server-time");
        c[2].Take();
        c[0].Send("KICK #late user2");                      // a tagged member leaving ...
        c[1].Send("CAP REQ :server-time");                  // ... and another arriving at tags keep the count exact
        c[1].Take();
        c[2].Take();
        c[0].Send("PRIVMSG #late :three");
        Assert.StartsWith("@time=", Assert.Single(c[1].Take()));
    }
}
