using System.Diagnostics;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// What only the OS shows, on a real server process: threads per model with 300 clients, memory after a 1 MiB
/// line, and SIGTERM with 1,000 clients. Figures are printed; asserts use generous bounds.
/// </summary>
[Collection(ServerProcessCollection.Name)]
public sealed class ProcessFootprintTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task With_300_clients_threads_uses_a_thread_each_and_async_does_not(ConnectionMode mode)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(mode);
        long threadsIdle = server.OsThreads;
        var clients = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                TestIrcClient client = await TestIrcClient.ConnectAsync(server.Port);
                clients.Add(client);
                await client.RegisterAsync("u" + i);
                await client.JoinAsync("#all");
            }

            await clients[0].SendLineAsync("PRIVMSG #all :hello everyone");
            foreach (TestIrcClient other in clients.Skip(1))
                Assert.EndsWith(":hello everyone", await other.ExpectCommandAsync("PRIVMSG"));
            await clients[1].SendLineAsync("PING still-there");
            Assert.EndsWith("still-there", await clients[1].ExpectCommandAsync("PONG"));

            long threads = server.OsThreads;
            output.WriteLine($"{mode}: OS threads {threadsIdle} idle -> {threads} with 300 clients; RSS {server.RssBytes / (1024.0 * 1024):F1} MiB");
            if (mode == ConnectionMode.Threads)
                Assert.True(threads >= 300, $"threads server has only {threads} OS threads with 300 clients");
            else
                Assert.True(threads < 64, $"async server has {threads} OS threads with 300 clients");
        }
        finally
        {
            foreach (TestIrcClient client in clients)
                await client.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task One_MiB_without_newline_keeps_the_server_up_and_its_memory_flat(ConnectionMode mode)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(mode);
        await using TestIrcClient flooder = await TestIrcClient.ConnectAsync(server.Port);
        await flooder.RegisterAsync("flooder");

        // Warm up the over-long-line path (JIT, pools) so the measurement shows buffering, not code loading.
        await FloodAsync(flooder, 64 * 1024, "warm");
        long before = server.RssBytes;
        await FloodAsync(flooder, 1024 * 1024, "after");
        long after = server.RssBytes;

        double growthMiB = (after - before) / (1024.0 * 1024);
        output.WriteLine($"{mode}: RSS {before / (1024.0 * 1024):F1} MiB -> {after / (1024.0 * 1024):F1} MiB after a 1 MiB line (growth {growthMiB:F2} MiB)");
        Assert.True(growthMiB < 16, $"RSS grew {growthMiB:F1} MiB for one 1 MiB line");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task SIGTERM_with_1000_clients_exits_0(ConnectionMode mode)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(mode);
        var clients = new TestIrcClient[1000];
        try
        {
            // Register in parallel batches: it is the shutdown being measured, not the set-up.
            for (int batch = 0; batch < clients.Length; batch += 50)
            {
                await Task.WhenAll(Enumerable.Range(batch, 50).Select(async i =>
                {
                    clients[i] = await TestIrcClient.ConnectAsync(server.Port);
                    await clients[i].RegisterAsync("c" + i);
                }));
            }
            await clients[0].JoinAsync("#crowd");
            long threads = server.OsThreads;

            var clock = Stopwatch.StartNew();
            server.SendSigterm();
            int? exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
            clock.Stop();

            output.WriteLine($"{mode}: SIGTERM with 1000 clients ({threads} OS threads) -> exit {exitCode?.ToString() ?? "none"} after {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(0, exitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"shutdown took {clock.Elapsed}");

            // Clients were told why (a sample: every 100th).
            for (int i = 0; i < clients.Length; i += 100)
                Assert.Equal("ERROR :Server shutting down", await clients[i].ExpectCommandAsync("ERROR"));
        }
        finally
        {
            foreach (TestIrcClient? client in clients)
            {
                if (client is not null)
                    await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task SIGINT_shuts_down_the_same_way(ConnectionMode mode)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(mode);
        await using TestIrcClient client = await TestIrcClient.ConnectAsync(server.Port);
        await client.RegisterAsync("ctrlc");

        server.SendSignal(ServerProcess.SIGINT);

        Assert.Equal("ERROR :Server shutting down", await client.ExpectCommandAsync("ERROR"));
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task FloodAsync(TestIrcClient client, int bytes, string token)
    {
        byte[] flood = new byte[bytes];
        Array.Fill(flood, (byte)'a');
        await client.SendRawAsync(flood);
        await client.SendRawAsync(System.Text.Encoding.ASCII.GetBytes($"\r\nPING {token}\r\n"));
        await client.ExpectCommandAsync("417");
        Assert.EndsWith(token, await client.ExpectCommandAsync("PONG"));
    }
}
