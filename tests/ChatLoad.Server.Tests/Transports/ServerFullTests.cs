using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>Over MaxClients a connection gets <c>ERROR :Server full</c> and is closed; a freed slot is reusable.</summary>
public sealed class ServerFullTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_connection_over_MaxClients_gets_server_full_and_is_closed(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["MaxClients"] = "2" });
        await using TestIrcClient first = await server.ConnectAndRegisterAsync("first");
        await using TestIrcClient second = await server.ConnectAndRegisterAsync("second");

        await using TestIrcClient third = await server.ConnectAsync();
        Assert.Equal("ERROR :Server full", await third.ReadLineAsync());
        Assert.True(await third.WaitForCloseAsync(), "the refused connection stayed open");

        // The admitted clients are unaffected.
        await second.SendLineAsync("PING still-fine");
        Assert.EndsWith("still-fine", await second.ExpectCommandAsync("PONG"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_slot_freed_by_a_quit_admits_the_next_client(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["MaxClients"] = "1" });
        await using (TestIrcClient first = await server.ConnectAndRegisterAsync("first"))
        {
            await first.SendLineAsync("QUIT :bye");
            Assert.True(await first.WaitForCloseAsync());
        }

        // The server releases the slot right after the close reaches the client; allow it a moment. A refused
        // connection hears "ERROR :Server full" at once; an admitted one hears nothing until it registers.
        for (int attempt = 0; ; attempt++)
        {
            await using TestIrcClient next = await server.ConnectAsync();
            string? greeting;
            try
            {
                greeting = await next.ReadLineAsync(TimeSpan.FromMilliseconds(500));
            }
            catch (TimeoutException)
            {
                await next.RegisterAsync("next"); // admitted
                return;
            }
            Assert.Equal("ERROR :Server full", greeting);
            Assert.True(attempt < 50, "the slot was never released");
            await Task.Delay(100);
        }
    }
}
