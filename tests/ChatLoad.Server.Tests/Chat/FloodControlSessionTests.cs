using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// Flood control as a client meets it, on fake time with the server's default settings (burst 5, then 2 lines/s,
/// 20 lines held at most): the flooder waits or is closed; nobody else pays.
/// </summary>
public class FloodControlSessionTests
{
    private static ChatHarness WithFloodControl(Action<ChatLoad.Server.Hosting.ServerOptions>? more = null) =>
        new(o =>
        {
            o.FloodControl = true;
            more?.Invoke(o);
        });

    [Fact]
    public void Past_the_burst_lines_wait_and_then_run_in_order_at_the_steady_rate()
    {
        using ChatHarness harness = WithFloodControl();
        List<FakeClient> members = harness.RegisterInChannel("#f", 2);
        FakeClient sender = members[0], listener = members[1];
        harness.Elapse(TimeSpan.FromSeconds(5)); // registration and JOIN used some of the burst: start fresh

        for (int i = 0; i < 10; i++)
            sender.Send($"PRIVMSG #f :{i}");

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $":user0!user0@127.0.0.1 PRIVMSG #f :{i}"), listener.Take());
        for (int i = 5; i < 10; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(499));
            Assert.Empty(listener.Take()); // not before its slot
            harness.Time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal([$":user0!user0@127.0.0.1 PRIVMSG #f :{i}"], listener.Take());
        }
        Assert.Null(sender.Connection.ClosedWith);
        Assert.Equal(0, ((ChatLoad.Server.Chat.Sessions.ClientSession)sender.Session).HeldLineCount);
    }

    [Fact]
    public void A_client_that_keeps_flooding_is_closed_with_excess_flood_and_its_held_lines_never_run()
    {
        using ChatHarness harness = WithFloodControl();
        List<FakeClient> members = harness.RegisterInChannel("#f", 3);
        FakeClient flooder = members[0];
        harness.Elapse(TimeSpan.FromSeconds(5));

        for (int i = 0; i < 1000; i++)
            flooder.Send($"PRIVMSG #f :flood {i}");

        Assert.Equal("Excess flood", flooder.Connection.ClosedWith);
        Assert.Equal("ERROR :Excess flood", flooder.Take().Last());
        foreach (FakeClient member in members.Skip(1))
        {
            List<string> got = member.Take();
            Assert.Equal(5, got.Count(l => l.Contains(" PRIVMSG #f :flood ", StringComparison.Ordinal))); // the burst only
            Assert.EndsWith(" QUIT :Excess flood", got.Last());
            Assert.Null(member.Connection.ClosedWith);
        }

        harness.Elapse(TimeSpan.FromSeconds(30)); // the 20 held lines were dropped with the client
        foreach (FakeClient member in members.Skip(1))
            Assert.Empty(member.Take());
    }

    [Fact]
    public void The_held_queue_is_bounded_by_flood_max_queued()
    {
        using ChatHarness harness = WithFloodControl(o => o.FloodMaxQueuedLines = 3);
        FakeClient client = harness.Register("q");
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 8; i++)
            client.Send("PING :x" + i);
        Assert.Null(client.Connection.ClosedWith); // 5 ran, 3 held
        Assert.Equal(3, ((ChatLoad.Server.Chat.Sessions.ClientSession)client.Session).HeldLineCount);
        client.Send("PING :one too many");
        Assert.Equal("Excess flood", client.Connection.ClosedWith);
    }

    [Fact]
    public void Other_clients_are_not_slowed_while_one_is_throttled()
    {
        using ChatHarness harness = WithFloodControl();
        List<FakeClient> members = harness.RegisterInChannel("#f", 3);
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 15; i++)
            members[0].Send($"PRIVMSG #f :fast {i}");
        members[1].Send("PRIVMSG #f :calm");

        Assert.Contains(":user1!user1@127.0.0.1 PRIVMSG #f :calm", members[2].Take());
    }

    [Fact]
    public void Flood_control_off_lets_every_line_through_at_once()
    {
        using var harness = new ChatHarness(o => o.FloodControl = false);
        List<FakeClient> members = harness.RegisterInChannel("#f", 2);
        for (int i = 0; i < 500; i++)
            members[0].Send($"PRIVMSG #f :{i}");
        Assert.Equal(500, members[1].Take().Count);
        Assert.Null(members[0].Connection.ClosedWith);
    }

    [Fact]
    public void A_quiet_spell_gives_the_burst_back()
    {
        using ChatHarness harness = WithFloodControl();
        List<FakeClient> members = harness.RegisterInChannel("#f", 2);
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 5; i++)
                members[0].Send($"PRIVMSG #f :r{round} {i}");
            Assert.Equal(5, members[1].Take().Count);
            harness.Elapse(TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public async Task Held_lines_of_a_client_being_closed_never_run_and_do_not_spin_the_timer()
    {
        // Found by the fuzzer: a closing client (close asked, disconnect not yet reported by the transport) with a
        // held line that was due re-armed its timer at zero again and again.
        using ChatHarness harness = WithFloodControl();
        List<FakeClient> members = harness.RegisterInChannel("#f", 2);
        FakeClient flooder = members[0];
        flooder.Connection.DisconnectOnClose = false;
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 8; i++)
            flooder.Send($"PRIVMSG #f :{i}");
        members[1].Take();
        harness.Server.CloseAllClients("closing");

        Task advancing = Task.Run(() => harness.Time.Advance(TimeSpan.FromSeconds(5)));
        Assert.Same(advancing, await Task.WhenAny(advancing, Task.Delay(TimeSpan.FromSeconds(30)))); // else the held-line timer spun
        Assert.DoesNotContain(members[1].Take(), l => l.Contains(" PRIVMSG ", StringComparison.Ordinal));
        Assert.Equal(0, ((ChatLoad.Server.Chat.Sessions.ClientSession)flooder.Session).HeldLineCount);
        flooder.Disconnect("gone");
    }

    [Fact]
    public void Empty_lines_cost_nothing()
    {
        using ChatHarness harness = WithFloodControl();
        FakeClient client = harness.Register("e");
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 100; i++)
            client.Send("");
        client.Send("PING :still");
        Assert.Equal([$":{ChatHarness.ServerName} PONG {ChatHarness.ServerName} :still"], client.Take());
    }

    [Fact]
    public void A_held_line_pauses_the_clients_input_until_its_time_and_resuming_runs_it_first()
    {
        using ChatHarness harness = WithFloodControl();
        List<FakeClient> members = harness.RegisterInChannel("#f", 2);
        FakeClient sender = members[0], listener = members[1];
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 6; i++)
            sender.Send($"PRIVMSG #f :{i}");
        listener.Take();

        long pausedUntil = Assert.Single(sender.Connection.TimePauses);
        Assert.Equal(TimeSpan.FromMilliseconds(500), harness.Time.GetElapsedTime(harness.Time.GetTimestamp(), pausedUntil));

        // The transport resumes input at that time and says so before the next line: the held line runs then.
        harness.Time.Advance(TimeSpan.FromMilliseconds(500));
        sender.Session.OnInputResumed();
        sender.Send("PRIVMSG #f :next");
        List<string> got = listener.Take();
        Assert.Equal(":user0!user0@127.0.0.1 PRIVMSG #f :5", got[0]);
    }

    [Fact]
    public void A_throttled_client_pushing_past_the_unread_bytes_bound_is_closed_with_excess_flood()
    {
        using ChatHarness harness = WithFloodControl();
        FakeClient client = harness.Register("pusher");
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 5; i++)
            client.Send("PING :burst" + i);
        Assert.Null(client.Connection.ClosedWith);

        client.Connection.UnreadInputBytes = 16 * 1024 + 1; // the kernel holds more of it than FloodMaxUnreadBytes
        client.Send("PING :held");
        Assert.Equal("Excess flood", client.Connection.ClosedWith);
    }

    [Fact]
    public void A_throttled_client_with_more_lines_waiting_than_flood_max_queued_is_closed()
    {
        using ChatHarness harness = WithFloodControl();
        FakeClient paster = harness.Register("paster");
        FakeClient flooder = harness.Register("flooder");
        harness.Elapse(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 5; i++)
        {
            paster.Send("PING :p" + i);
            flooder.Send("PING :f" + i);
        }

        paster.Connection.UnreadInputLines = 19;  // with the held one: 20 waiting, the bound
        paster.Send("PING :held");
        flooder.Connection.UnreadInputLines = 20; // 21 waiting
        flooder.Send("PING :held");

        Assert.Null(paster.Connection.ClosedWith);
        Assert.Equal("Excess flood", flooder.Connection.ClosedWith);
    }
}
