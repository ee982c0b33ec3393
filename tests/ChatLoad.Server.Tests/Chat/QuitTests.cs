using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class QuitTests
{
    [Fact]
    public void Quit_is_seen_once_by_members_of_all_channels_and_the_quitter_gets_error_and_is_closed()
    {
        using var harness = new ChatHarness();
        FakeClient quitter = harness.Register("q");
        FakeClient shared = harness.Register("shared"); // in both channels: must see one QUIT
        FakeClient onlyB = harness.Register("onlyb");
        FakeClient outsider = harness.Register("outsider");
        quitter.Send("JOIN #a,#b");
        shared.Send("JOIN #a,#b");
        onlyB.Send("JOIN #b");
        foreach (FakeClient c in new[] { quitter, shared, onlyB })
            c.Take();

        quitter.Send("QUIT :bye now");

        Assert.Equal([":q!q@127.0.0.1 QUIT :Quit: bye now"], shared.Take());
        Assert.Equal([":q!q@127.0.0.1 QUIT :Quit: bye now"], onlyB.Take());
        Assert.Empty(outsider.Take());
        Assert.Equal(["ERROR :Closing link: q[127.0.0.1] (Quit: bye now)"], quitter.Take());
        Assert.StartsWith("Closing link", quitter.Connection.ClosedWith);
        Assert.Equal(1, quitter.Connection.CloseCalls);
        Assert.Equal(3, harness.Server.NickCount);
        Assert.Equal(3, harness.Server.ConnectionCount);
    }

    [Fact]
    public void A_dropped_connection_notifies_members_once_even_if_reported_twice()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#d", 3);
        members[0].Disconnect("Connection reset by peer");
        members[0].Disconnect("Connection reset by peer");
        Assert.Equal([":user0!user0@127.0.0.1 QUIT :Connection reset by peer"], members[1].Take());
        Assert.Equal([":user0!user0@127.0.0.1 QUIT :Connection reset by peer"], members[2].Take());
        Assert.Equal(2, harness.Server.ConnectionCount);
        Assert.Equal(2, harness.Server.NickCount);
    }

    [Fact]
    public void Lines_after_quit_are_ignored()
    {
        using var harness = new ChatHarness();
        FakeClient quitter = harness.Register("q");
        quitter.Connection.DisconnectOnClose = false; // the transport has not reported the close yet
        FakeClient watcher = harness.Register("w");
        quitter.Send("QUIT");
        quitter.Send("PRIVMSG w :ghost");
        Assert.Empty(watcher.Take());
        Assert.Equal(1, harness.Server.NickCount);
    }

    [Fact]
    public void A_close_reason_from_the_core_is_what_members_see()
    {
        using var harness = new ChatHarness(o =>
        {
            o.PingInterval = TimeSpan.FromSeconds(10);
            o.PingTimeout = TimeSpan.FromSeconds(10);
        });
        List<FakeClient> members = harness.RegisterInChannel("#t", 2);
        members[0].Connection.DisconnectOnClose = false;
        members[1].Connection.DisconnectOnClose = false;
        harness.Elapse(TimeSpan.FromSeconds(10)); // both pinged; only members[1] answers
        members[1].Send("PONG test.server");
        harness.Elapse(TimeSpan.FromSeconds(10));
        Assert.Equal("Ping timeout: 10 seconds", members[0].Connection.ClosedWith);
        Assert.Null(members[1].Connection.ClosedWith);
        // The transport later reports its own wording; members still see why the server closed it.
        members[0].Disconnect("Connection closed");
        Assert.Contains(":user0!user0@127.0.0.1 QUIT :Ping timeout: 10 seconds", members[1].Take());
    }
}
