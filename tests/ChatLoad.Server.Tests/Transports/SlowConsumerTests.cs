using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// A client that stops reading is dropped (SendQ exceeded, then reset at its close deadline) while the others
/// keep chatting: nobody else loses or reorders a message because of it.
/// </summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_client_that_never_reads_is_dropped_while_others_keep_chatting(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["SendQueueBytes"] = "16384",
            ["SendTimeout"] = "00:00:01",
            ["FloodControl"] = "false", // the transport under a sender far faster than flood control allows
        }, enableMetrics: true);
        // A tiny receive window so the kernel cannot hide the backlog from the server for long.
        await using TestIrcClient sleeper = await server.ConnectAndRegisterAsync("sleeper", receiveBufferBytes: 4096);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await sleeper.JoinAsync("#busy");
        await alice.JoinAsync("#busy");
        await bob.JoinAsync("#busy");

        // Channel traffic until the server drops the sleeper. Loopback sockets autotune their send buffers up to
        // 4 MiB (tcp_wmem), so the backlog only reaches SendQ after several MiB; the cap keeps the test bounded.
        // Alice is paced by Bob's reading (at most a window of messages ahead), so Bob really keeps up even on a
        // busy machine and only the sleeper can fall behind. The window plus one batch (24 lines of ~480 bytes,
        // ~11.5 KB) stays under the 16 KiB SendQ: a wider window let Bob's own backlog pass SendQ on a loaded
        // machine, and the server rightly dropped him too.
        const int maxMessages = 40_000;
        const int window = 16;
        const int batchSize = 8;
        string padding = new('x', 440);
        int received = 0;
        int published = 0; // messages Alice has handed to her socket: the only ones Bob may wait for
        Task<int> sending = Task.Run(async () =>
        {
            int sent = 0;
            while (sent < maxMessages && server.OpenConnections == 3)
            {
                while (sent - Volatile.Read(ref received) > window)
                    await Task.Delay(1);
                var batch = new StringBuilder();
                for (int i = 0; i < batchSize; i++, sent++)
                    batch.Append("PRIVMSG #busy :").Append(sent).Append(' ').Append(padding).Append("\r\n");
                await alice.SendRawAsync(Encoding.ASCII.GetBytes(batch.ToString()));
                Volatile.Write(ref published, sent);
            }
            return sent;
        });

        // Bob keeps reading and sees every message, in order, while the sleeper is being dropped. He only waits for
        // a message Alice has already sent: checking "sending is not done" and then waiting raced with Alice's
        // last loop check (the sleeper gone, she sends nothing more), and Bob then waited 15 s for a message that
        // never came. Completion is read before the count so that a final batch is never missed.
        while (true)
        {
            bool done = sending.IsCompleted;
            if (received < Volatile.Read(ref published))
            {
                string line = await bob.ExpectCommandAsync("PRIVMSG");
                Assert.Contains($"PRIVMSG #busy :{received} ", line);
                Interlocked.Increment(ref received);
            }
            else if (done)
            {
                break;
            }
            else
            {
                await Task.Delay(1);
            }
        }
        int messages = await sending;
        Assert.Equal(messages, received);
        Assert.True(messages < maxMessages, $"the sleeper was still connected after {maxMessages} messages");

        // The sleeper was closed by the server: reading now drains what reached its socket, then end of stream.
        Assert.True(await sleeper.WaitForCloseAsync(TimeSpan.FromSeconds(30)), "the slow consumer was not disconnected");
        int delivered = sleeper.Received.Count(l => l.Contains("PRIVMSG #busy"));
        output.WriteLine($"{mode}: sleeper got {delivered} of {messages} messages before being dropped; " +
            $"its last line: {Shorten(sleeper.Received.LastOrDefault())}");
        Assert.True(delivered < messages, "the slow consumer received everything: it was never slow");

        // And the chat goes on for the others.
        await alice.SendLineAsync("PRIVMSG #busy :still here");
        Assert.EndsWith(":still here", await bob.ExpectCommandAsync("PRIVMSG"));

        string metrics = await server.ScrapeMetricsAsync();
        Assert.Matches(@"(?m)^chatload_server_chatload_slow_consumer_disconnects 1$", metrics);
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_reader_that_keeps_up_is_never_dropped(ConnectionMode mode)
    {
        // Flood control off: 300 lines as fast as Bob reads them (at 2 lines/s this test would take 150 s).
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["SendQueueBytes"] = "16384", ["FloodControl"] = "false" });
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#calm");
        await bob.JoinAsync("#calm");

        // Sent one at a time and read one at a time: the backlog never passes one line.
        for (int i = 0; i < 300; i++)
        {
            await alice.SendLineAsync($"PRIVMSG #calm :{i} {new string('y', 300)}");
            Assert.Contains($":{i} ", await bob.ExpectCommandAsync("PRIVMSG"));
        }
        await bob.SendLineAsync("PING alive");
        Assert.EndsWith("alive", await bob.ExpectCommandAsync("PONG"));
    }

    private static string? Shorten(string? line) => line is { Length: > 80 } ? line[..80] + "..." : line;
}
