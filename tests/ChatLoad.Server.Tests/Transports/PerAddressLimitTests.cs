using System.Net;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// Issue 8's probe, over real sockets in both modes: one address holding its share of the slots (and reconnecting)
/// keeps no client from another address out; every refusal is an ERROR line with the true reason, counted by reason.
/// </summary>
public sealed class PerAddressLimitTests
{
    private static readonly IPAddress Hog = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task One_address_holding_its_cap_keeps_no_other_address_out(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["MaxClients"] = "10",
            ["MaxConnectionsPerAddress"] = "4",
            ["ConnectBurstPerAddress"] = "0",
        }, enableMetrics: true);
        var held = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < 4; i++)
                held.Add(await server.ConnectFromAsync(Hog)); // unregistered, as the probe held them
            for (int i = 0; i < 3; i++)
            {
                await using TestIrcClient over = await server.ConnectFromAsync(Hog);
                Assert.Equal("ERROR :Too many connections from your address", await over.ReadLineAsync());
                Assert.True(await over.WaitForCloseAsync(), "the refused connection stayed open");
            }

            await using TestIrcClient legit = await server.ConnectFromAsync(Other);
            await legit.RegisterAsync("legit");
            await legit.SendLineAsync("PING from-elsewhere");
            Assert.EndsWith("from-elsewhere", await legit.ExpectCommandAsync("PONG"));

            string metrics = await server.ScrapeMetricsAsync();
            Assert.Contains("chatload_server_chatload_connections_refused{reason=\"per_address\"} 3", metrics);
        }
        finally
        {
            foreach (TestIrcClient client in held)
                await client.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_reconnect_loop_is_throttled_and_told_when_to_retry(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["ConnectBurstPerAddress"] = "3",
            ["ConnectIntervalPerAddress"] = "00:01:00",
        });
        for (int i = 0; i < 3; i++)
        {
            await using TestIrcClient quick = await server.ConnectFromAsync(Hog);
            await quick.RegisterAsync("quick" + i);
            await quick.SendLineAsync("QUIT");
            Assert.True(await quick.WaitForCloseAsync());
        }

        await using TestIrcClient throttled = await server.ConnectFromAsync(Hog);
        string? line = await throttled.ReadLineAsync();
        Assert.Matches(@"^ERROR :Connecting too fast from your address; try again in \d+ s$", line);

        await using TestIrcClient other = await server.ConnectFromAsync(Other);
        await other.RegisterAsync("other");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task An_exempt_network_is_not_limited(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["MaxConnectionsPerAddress"] = "2",
            ["ConnectBurstPerAddress"] = "2",
            ["PerAddressExempt"] = "127.0.0.1/32",
        });
        var clients = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < 5; i++)
                clients.Add(await server.ConnectAndRegisterAsync("exempt" + i));
            Assert.Equal(5, server.OpenConnections);
        }
        finally
        {
            foreach (TestIrcClient client in clients)
                await client.DisposeAsync();
        }
    }
}
