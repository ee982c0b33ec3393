using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// What the async model's own readiness (<c>--socket-engine epoll</c>, Pipelines/EpollReadiness.cs) must get right
/// that .NET's engine got right for us, proven over both engines: a descriptor number reused by the next accept
/// never carries another connection's events, a send that had to wait for the peer resumes where it stopped, and a
/// peer's FIN or RST ends the connection with the same reason. The whole protocol suite runs on the default engine
/// (epoll on Linux); these run the transport-level cases over both.
/// </summary>
public sealed class SocketEngineTests
{
    private static Dictionary<string, string?> On(SocketEngine engine, Dictionary<string, string?>? more = null)
    {
        var options = new Dictionary<string, string?> { ["SocketEngine"] = engine.ToString(), ["FloodControl"] = "false" };
        foreach (var (key, value) in more ?? [])
            options[key] = value;
        return options;
    }

    [Theory]
    [InlineData(SocketEngine.Epoll)]
    [InlineData(SocketEngine.Dotnet)]
    public async Task Connect_close_cycles_beside_held_clients_give_everyone_exactly_their_own_lines(SocketEngine engine)
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, On(engine));
        Assert.Equal(engine, server.Options.SocketEngine);
        await using TestIrcClient talker = await server.ConnectAndRegisterAsync("talker");
        await using TestIrcClient listener = await server.ConnectAndRegisterAsync("listener");
        await talker.JoinAsync("#held");
        await listener.JoinAsync("#held");
        await talker.ExpectAsync(l => l.StartsWith(":listener!") && l.Contains("JOIN"), "listener's JOIN");

        // 20 rounds of 10 clients at once, each connecting (onto descriptor numbers the last round's just freed),
        // registering, asking for its own PONG and leaving, half with a FIN and half with a RST, while the held pair
        // talk. A stale event or a descriptor's number reaching the wrong connection shows as a line at the wrong
        // client, a lost or reordered one, or a hang.
        const int rounds = 20, perRound = 10;
        for (int round = 0; round < rounds; round++)
        {
            await talker.SendLineAsync($"PRIVMSG #held :round {round}");
            await Task.WhenAll(Enumerable.Range(0, perRound).Select(async i =>
            {
                string nick = $"c{round}x{i}";
                TestIrcClient churner = await server.ConnectAndRegisterAsync(nick);
                await churner.SendLineAsync("PING :token-" + nick);
                string pong = await churner.ExpectCommandAsync("PONG");
                Assert.EndsWith("token-" + nick, pong);
                Assert.All(churner.Received.Where(l => TestIrcClient.CommandOf(l) == "001"), l => Assert.Contains(" 001 " + nick + " ", l));
                if (i % 2 == 0)
                    churner.Socket.LingerState = new LingerOption(true, 0);
                await churner.DisposeAsync();
            }));
        }
        await talker.SendLineAsync("PRIVMSG #held :done");

        for (int round = 0; round < rounds; round++)
            Assert.EndsWith($"PRIVMSG #held :round {round}", await listener.ExpectCommandAsync("PRIVMSG"));
        Assert.EndsWith("PRIVMSG #held :done", await listener.ExpectCommandAsync("PRIVMSG"));
        await talker.SendLineAsync("PING :talker-own");
        Assert.EndsWith("talker-own", await talker.ExpectCommandAsync("PONG"));
        Assert.DoesNotContain(talker.Received, l => l.Contains("token-") || l.Contains(" PRIVMSG "));
    }

    [Theory]
    [InlineData(SocketEngine.Epoll)]
    [InlineData(SocketEngine.Dotnet)]
    public async Task A_peer_that_stops_reading_gets_every_line_in_order_once_it_reads_again(SocketEngine engine)
    {
        // 6 MB for a reader with a 4 KiB receive window: more than its window and the server's send buffer at its
        // largest (tcp_wmem's 4 MiB here), so the server's sends meet a full window (EAGAIN, partial writes) and have
        // to wait for writability many times. The SendQ holds it all, so nobody is dropped for it.
        const int lines = 14_000;
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, On(engine, new()
        {
            ["SendQueueBytes"] = (16 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["SendTimeout"] = "00:01:00",
        }));
        await using TestIrcClient talker = await server.ConnectAndRegisterAsync("talker");
        await using TestIrcClient reader = await server.ConnectAndRegisterAsync("reader", receiveBufferBytes: 4096);
        await talker.JoinAsync("#slow");
        await reader.JoinAsync("#slow");
        await talker.ExpectAsync(l => l.StartsWith(":reader!") && l.Contains("JOIN"), "reader's JOIN");

        long waitsBefore = Interlocked.Read(ref Server.Transports.Pipelines.SocketReadiness.WritabilityWaits);
        string padding = new('x', 400);
        var burst = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            burst.Append("PRIVMSG #slow :").Append(i).Append(' ').Append(padding).Append("\r\n");
            if (burst.Length > 64 * 1024 || i == lines - 1)
            {
                await talker.SendRawAsync(Encoding.ASCII.GetBytes(burst.ToString()));
                burst.Clear();
            }
        }
        // Every line has reached the core (and the reader's queue) once the talker's PONG is back; the reader has
        // read nothing since its JOIN. Now it reads again.
        await talker.SendLineAsync("PING :all-sent");
        await talker.ExpectAsync(l => l.EndsWith("all-sent"), "PONG", TimeSpan.FromSeconds(60));
        await Task.Delay(200);
        if (engine == SocketEngine.Epoll)
            Assert.True(Interlocked.Read(ref Server.Transports.Pipelines.SocketReadiness.WritabilityWaits) > waitsBefore, "the reader's sends waited for writability");

        for (int i = 0; i < lines; i++)
        {
            string line = await reader.ExpectCommandAsync("PRIVMSG", TimeSpan.FromSeconds(60));
            Assert.EndsWith($"PRIVMSG #slow :{i} {padding}", line);
        }
        await reader.SendLineAsync("PING :still-here");
        Assert.EndsWith("still-here", await reader.ExpectCommandAsync("PONG"));
    }

    [Theory]
    [InlineData(SocketEngine.Epoll)]
    [InlineData(SocketEngine.Dotnet)]
    public async Task A_peer_FIN_and_a_peer_RST_end_the_connection_with_their_reasons(SocketEngine engine)
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, On(engine));
        await using TestIrcClient watcher = await server.ConnectAndRegisterAsync("watcher");
        await using TestIrcClient closer = await server.ConnectAndRegisterAsync("closer");
        await using TestIrcClient resetter = await server.ConnectAndRegisterAsync("resetter");
        await watcher.JoinAsync("#w");
        await closer.JoinAsync("#w");
        await resetter.JoinAsync("#w");
        await watcher.ExpectAsync(l => l.StartsWith(":resetter!") && l.Contains("JOIN"), "resetter's JOIN");

        // Half-close: the peer's FIN (its read side stays open) ends the connection, and the server closes its side.
        closer.Socket.Shutdown(SocketShutdown.Send);
        Assert.EndsWith("QUIT :Connection closed by peer", await watcher.ExpectAsync(l => l.StartsWith(":closer!") && l.Contains(" QUIT "), "closer's QUIT"));
        Assert.True(await closer.WaitForCloseAsync(), "the server closed the half-closed connection");

        // Once the closer's QUIT has reached the resetter too (else the server's write of it may meet the reset
        // first, and the reason is the write's).
        await resetter.ExpectAsync(l => l.StartsWith(":closer!") && l.Contains(" QUIT "), "closer's QUIT");
        resetter.Socket.LingerState = new LingerOption(true, 0);
        resetter.Socket.Close();
        Assert.EndsWith("QUIT :Connection reset by peer", await watcher.ExpectAsync(l => l.StartsWith(":resetter!") && l.Contains(" QUIT "), "resetter's QUIT"));

        await watcher.SendLineAsync("PING :after");
        Assert.EndsWith("after", await watcher.ExpectCommandAsync("PONG"));
    }
}
