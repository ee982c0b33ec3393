using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.RealClient;

/// <summary>
/// A real IRC client, as a new user would try it: irssi (in tmux) connects, joins a channel, and talks with a
/// test client in both directions.
/// </summary>
public sealed class IrssiTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [IrssiTheory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Irssi_joins_a_channel_and_talks_with_another_client(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient tester = await server.ConnectAndRegisterAsync("tester");
        await tester.JoinAsync("#real");

        string home = Directory.CreateTempSubdirectory("chatload-irssi-").FullName;
        using var tmux = new TmuxSession();
        try
        {
            tmux.Start($"irssi --home={home} -n irssiuser -c 127.0.0.1 -p {server.Port}");

            // irssi registers (CAP LS, NICK, USER) and shows the welcome; then we join like a user would.
            Assert.True(await tmux.WaitForScreenAsync("irssiuser", Patience), "irssi never showed its nick:\n" + tmux.Screen());
            await WaitForWelcomeAsync(tmux);
            tmux.TypeLine("/join #real");
            await tester.ExpectAsync(l => l.StartsWith(":irssiuser!") && TestIrcClient.CommandOf(l) == "JOIN", "irssi's JOIN", Patience);

            // irssi → tester
            tmux.TypeLine("hello from irssi");
            string fromIrssi = await tester.ExpectAsync(l => TestIrcClient.CommandOf(l) == "PRIVMSG", "irssi's message", Patience);
            Assert.StartsWith(":irssiuser!", fromIrssi);
            Assert.EndsWith("PRIVMSG #real :hello from irssi", fromIrssi);

            // tester → irssi
            await tester.SendLineAsync("PRIVMSG #real :hello irssi, from the test");
            Assert.True(await tmux.WaitForScreenAsync("hello irssi, from the test", Patience), "irssi never showed the message:\n" + tmux.Screen());

            string screen = string.Join('\n', tmux.Screen().Split('\n').Where(l => l.Trim().Length > 0).TakeLast(8));
            output.WriteLine($"{mode}: irssi screen at the end:\n{screen}");
            tmux.TypeLine("/quit bye");
            await tester.ExpectAsync(l => l.StartsWith(":irssiuser!") && TestIrcClient.CommandOf(l) == "QUIT", "irssi's QUIT", Patience);
        }
        finally
        {
            tmux.Dispose();
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task WaitForWelcomeAsync(TmuxSession tmux)
    {
        // 001's text or the end of the MOTD, whichever irssi prints; both mean registration finished.
        DateTime deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            string screen = tmux.Screen();
            if (screen.Contains("Welcome", StringComparison.OrdinalIgnoreCase) || screen.Contains("MOTD", StringComparison.OrdinalIgnoreCase))
                return;
            await Task.Delay(200);
        }
        Assert.Fail("irssi never finished registering:\n" + tmux.Screen());
    }
}
