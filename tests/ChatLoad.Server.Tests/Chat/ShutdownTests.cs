using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class ShutdownTests
{
    [Fact]
    public async Task Close_all_sends_every_client_the_shutdown_error_without_quit_fan_out()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#all", 20);
        FakeClient unregistered = harness.Connect();

        bool allClosed = await harness.Server.CloseAllAsync(cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        Assert.True(allClosed);
        foreach (FakeClient client in members.Append(unregistered))
        {
            Assert.Equal("Server shutting down", client.Connection.ClosedWith);
            Assert.Equal(["ERROR :Server shutting down"], client.Take());
        }
        Assert.Equal(0, harness.Server.ConnectionCount);
        Assert.Equal(0, harness.Server.ChannelCount);
    }

    [Fact]
    public async Task Close_all_reports_false_when_connections_outlast_the_wait()
    {
        using var harness = new ChatHarness();
        FakeClient stuck = harness.Register("stuck");
        stuck.Connection.DisconnectOnClose = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.False(await harness.Server.CloseAllAsync("Server shutting down", timeout.Token));
        Assert.Equal("Server shutting down", stuck.Connection.ClosedWith);
    }

    [Fact]
    public void A_connection_accepted_during_shutdown_is_closed_at_once()
    {
        using var harness = new ChatHarness();
        harness.Server.CloseAllClients("Server shutting down");
        var connection = new FakeConnection();
        Assert.NotNull(harness.Server.OnConnected(connection));
        Assert.Equal("Server shutting down", connection.ClosedWith);
    }
}
