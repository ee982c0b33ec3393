using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>Stopping the host tells every client why, closes them, and stops listening.</summary>
public sealed class GracefulShutdownTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Every_connected_client_gets_ERROR_and_is_closed(ConnectionMode mode)
    {
        TestServer server = await TestServer.StartAsync(mode);
        var clients = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                TestIrcClient client = i % 2 == 0 ? await server.ConnectAndRegisterAsync("user" + i) : await server.ConnectAsync();
                clients.Add(client);
                if (i % 4 == 0)
                    await client.JoinAsync("#room");
            }

            // A connection still in the kernel's accept backlog when listening stops is reset, not greeted:
            // wait until the server has taken all of them.
            for (int wait = 0; server.OpenConnections < clients.Count && wait < 500; wait++)
                await Task.Delay(10);
            Assert.Equal(clients.Count, server.OpenConnections);

            await server.StopAsync();

            for (int i = 0; i < clients.Count; i++)
            {
                string kind = i % 2 == 0 ? "registered" : "unregistered";
                string? error = await clients[i].ExpectAsync(l => TestIrcClient.CommandOf(l) == "ERROR", $"ERROR on {kind} client {i}");
                Assert.Equal("ERROR :Server shutting down", error);
                Assert.True(await clients[i].WaitForCloseAsync(), $"client {i} stayed connected after shutdown");
            }
            Assert.Equal(0, server.OpenConnections);
            await Assert.ThrowsAnyAsync<SocketException>(() => TestIrcClient.ConnectAsync(server.Port));
        }
        finally
        {
            foreach (TestIrcClient client in clients)
                await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_client_that_never_reads_cannot_hold_shutdown_past_its_timeout(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["ShutdownTimeout"] = "00:00:01",
            ["SendTimeout"] = "00:00:30", // longer than the shutdown: only the abort stage can end it
            ["SendQueueBytes"] = (8 * 1024 * 1024).ToString(),
            ["FloodControl"] = "false", // the talker must be able to fill the sleeper's buffers
        });
        await using TestIrcClient sleeper = await server.ConnectAndRegisterAsync("sleeper", receiveBufferBytes: 4096);
        await using TestIrcClient talker = await server.ConnectAndRegisterAsync("talker");
        await sleeper.JoinAsync("#room");
        await talker.JoinAsync("#room");

        // Fill the sleeper's socket buffers so its ERROR line cannot be delivered (its close deadline, 30 s, is
        // longer than the shutdown). The talker's sending is bounded to 3 s here and ends in any case at shutdown.
        string padding = new('z', 440);
        Task talking = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 200; i++)
                {
                    var batch = new System.Text.StringBuilder();
                    for (int j = 0; j < 64; j++)
                        batch.Append("PRIVMSG #room :").Append(padding).Append("\r\n");
                    await talker.SendRawAsync(System.Text.Encoding.ASCII.GetBytes(batch.ToString()));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // the server closed the talker, or the send was stuck behind the sleeper: both expected here
            }
        });
        await Task.WhenAny(talking, Task.Delay(TimeSpan.FromSeconds(3)));

        await server.StopAsync();

        Assert.Equal(0, server.OpenConnections);
        await talking;
    }
}
