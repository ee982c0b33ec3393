using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class TimeoutTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Registration = TimeSpan.FromSeconds(60);

    private static ChatHarness Harness() => new(o =>
    {
        o.PingInterval = Interval;
        o.PingTimeout = Timeout;
        o.RegistrationTimeout = Registration;
    });

    // The sweep runs every quarter of the shortest timeout (15 s here), so a deadline is met within one period.
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    [Fact]
    public void The_sweep_period_is_a_quarter_of_the_shortest_timeout()
    {
        var options = new ServerOptions { PingInterval = Interval, PingTimeout = Timeout, RegistrationTimeout = Registration };
        Assert.Equal(Period, ChatLoad.Server.Chat.Sessions.IdleSweep.PeriodFor(options));
    }

    [Fact]
    public void An_unregistered_connection_is_closed_after_the_registration_timeout()
    {
        using var harness = Harness();
        FakeClient idle = harness.Connect();
        idle.Send("NICK slowpoke"); // activity does not extend the registration deadline
        harness.Elapse(Registration - TimeSpan.FromSeconds(1));
        Assert.Null(idle.Connection.ClosedWith);
        harness.Elapse(Period + TimeSpan.FromSeconds(1));
        Assert.Equal("Registration timed out", idle.Connection.ClosedWith);
        Assert.Equal(0, harness.Server.ConnectionCount);
        Assert.Equal(0, harness.Server.NickCount);
    }

    [Fact]
    public void A_registered_client_is_not_subject_to_the_registration_timeout()
    {
        using var harness = Harness();
        FakeClient client = harness.Register("quick");
        harness.Elapse(Registration + Period);
        Assert.Null(client.Connection.ClosedWith);
    }

    [Fact]
    public void An_idle_client_is_pinged_and_dropped_when_it_does_not_answer()
    {
        using var harness = Harness();
        FakeClient silent = harness.Register("silent");
        FakeClient watcher = harness.Register("watcher");
        silent.Send("JOIN #room");
        watcher.Send("JOIN #room");
        silent.Take();
        watcher.Take();

        // The sweep ticks on multiples of its 15 s period from t=0, so the 90 s and 150 s deadlines fall on ticks.
        harness.Elapse(Interval - TimeSpan.FromSeconds(1));
        Assert.Empty(silent.Take());
        harness.Elapse(TimeSpan.FromSeconds(1));
        Assert.Equal([$"PING :{ChatHarness.ServerName}"], silent.Take());

        // the watcher answers its own ping; the silent one does not
        Assert.Equal([$"PING :{ChatHarness.ServerName}"], watcher.Take());
        watcher.Send($"PONG :{ChatHarness.ServerName}");

        harness.Elapse(Timeout - TimeSpan.FromSeconds(1));
        Assert.Null(silent.Connection.ClosedWith);
        harness.Elapse(TimeSpan.FromSeconds(1));
        Assert.Equal("Ping timeout: 60 seconds", silent.Connection.ClosedWith);
        Assert.Equal([":silent!silent@127.0.0.1 QUIT :Ping timeout: 60 seconds"], watcher.Take());
        Assert.Null(watcher.Connection.ClosedWith);
    }

    [Fact]
    public void Any_line_counts_as_activity()
    {
        using var harness = Harness();
        FakeClient chatty = harness.Register("chatty");
        for (int i = 0; i < 20; i++)
        {
            harness.Elapse(TimeSpan.FromSeconds(30));
            chatty.Send("PRIVMSG chatty :still here");
        }
        Assert.DoesNotContain(chatty.Take(), l => l.StartsWith("PING", StringComparison.Ordinal));
        Assert.Null(chatty.Connection.ClosedWith);
    }

    [Fact]
    public void A_client_is_pinged_once_per_idle_period_not_on_every_sweep()
    {
        using var harness = Harness();
        FakeClient client = harness.Register("once");
        harness.Elapse(Interval + Period);
        harness.Elapse(Period);
        harness.Elapse(Period);
        Assert.Single(client.Take(), l => l.StartsWith("PING", StringComparison.Ordinal));
    }
}
