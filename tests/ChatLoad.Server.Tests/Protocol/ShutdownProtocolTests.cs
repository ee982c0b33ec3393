using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>The core's close-all over real sockets: every client, registered or not, gets the shutdown ERROR.</summary>
public sealed class ShutdownProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Stopping_the_server_sends_every_client_error_server_shutting_down(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await using TestIrcClient unregistered = await server.ConnectAsync();
        await alice.JoinAsync("#bye");
        await bob.JoinAsync("#bye");
        await unregistered.SendLineAsync("PING :here");
        await unregistered.ExpectCommandAsync("PONG"); // the server has its session

        await server.StopAsync();

        foreach (TestIrcClient client in new[] { alice, bob, unregistered })
        {
            Assert.Equal("ERROR :Server shutting down", await client.ExpectCommandAsync("ERROR"));
            Assert.True(await client.WaitForCloseAsync());
        }
        // Members leaving at shutdown are not announced to each other.
        Assert.DoesNotContain(alice.Received, l => TestIrcClient.CommandOf(l) == "QUIT");
    }
}
