using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.RealClient;

/// <summary>How one terminal IRC client is driven: how to start it, and how to show the server messages window.</summary>
internal interface IRealClient
{
    /// <summary>Shown in failure messages.</summary>
    string Name { get; }

    /// <summary>The shell command that starts the client, connected to 127.0.0.1:<paramref name="port"/> as <paramref name="nick"/>.</summary>
    string StartCommand(string home, int port, string nick);

    /// <summary>Typed to bring the window where the client prints WHOIS and LIST replies to the front.</summary>
    string ShowServerWindow { get; }

    /// <summary>Typed to list channels (irssi refuses a bare /list without -YES).</summary>
    string ListCommand { get; }

    /// <summary>Text only this client's display of a WHOIS reply shows (311's user, host and real name).</summary>
    string WhoisShown(string nick, string user, string host, string realName);
}

/// <summary>
/// What a new user does with a real client, checked from both sides: the client creates a channel (so it is the
/// channel operator), talks with a test client both ways, sets the topic, kicks the test client, runs /whois and
/// /list, and quits. The test client sees every effect on the wire; the client's screen shows the replies.
/// </summary>
internal static class RealClientScenario
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(IRealClient client, ConnectionMode mode, ITestOutputHelper output)
    {
        const string nick = "realuser";
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient tester = await server.ConnectAndRegisterAsync("tester");
        await tester.JoinAsync("#listed");
        await tester.SendLineAsync("TOPIC #listed :topic of the listed channel");
        await tester.ExpectCommandAsync("TOPIC");
        await tester.SendLineAsync("MONITOR + " + nick);
        await tester.ExpectCommandAsync("731");

        string home = Directory.CreateTempSubdirectory($"chatload-{client.Name}-").FullName;
        using var tmux = new TmuxSession();
        try
        {
            tmux.Start(client.StartCommand(home, server.Port, nick));
            await tester.ExpectCommandAsync("730", Patience);          // the client registered

            // The client creates #real, so it is its operator; the tester joins and sees it as @.
            tmux.TypeLine("/join #real");
            await WaitForChannelAsync(tester, "#real");
            await tester.SendLineAsync("JOIN #real");
            Assert.Contains($"@{nick}", await tester.ExpectCommandAsync("353"));

            tmux.TypeLine($"hello from {client.Name}");
            string said = await tester.ExpectAsync(l => TestIrcClient.CommandOf(l) == "PRIVMSG", "the client's message", Patience);
            Assert.StartsWith($":{nick}!", said);
            Assert.EndsWith($"PRIVMSG #real :hello from {client.Name}", said);
            await tester.SendLineAsync($"PRIVMSG #real :hello {client.Name}, from the test");
            await ExpectScreenAsync(tmux, $"hello {client.Name}, from the test", client);

            tmux.TypeLine($"/topic topic set by {client.Name}");
            Assert.Equal($"#real :topic set by {client.Name}", After(await tester.ExpectCommandAsync("TOPIC", Patience), "TOPIC "));

            tmux.TypeLine("/kick tester enough");
            Assert.Equal("#real tester :enough", After(await tester.ExpectCommandAsync("KICK", Patience), "KICK "));

            // WHOIS and LIST replies are shown in the server window: bring it up, then ask.
            await ShowServerWindowAsync(tmux, client);
            tmux.TypeLine("/whois tester");
            await ExpectScreenAsync(tmux, client.WhoisShown("tester", "tester", "127.0.0.1", "Test tester"), client);
            tmux.TypeLine(client.ListCommand);
            await ExpectScreenAsync(tmux, "topic of the listed channel", client);

            string screen = string.Join('\n', tmux.Screen().Split('\n').Where(l => l.Trim().Length > 0).TakeLast(12));
            output.WriteLine($"{mode}: {client.Name} screen at the end:\n{screen}");
            tmux.TypeLine("/quit bye");
            await tester.ExpectCommandAsync("731", Patience);          // MONITOR: the client left
            Assert.True(await tmux.WaitForExitAsync(Patience), $"{client.Name} did not exit after /quit");
        }
        finally
        {
            tmux.Dispose();
            DeleteHome(home);
        }
    }

    // The client's JOIN is not visible to the tester (not in #real yet), nor is the client in NAMES if it made itself
    // invisible (irssi sets +i): wait until LIST shows #real exists, created by the client.
    private static async Task WaitForChannelAsync(TestIrcClient tester, string channel)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await tester.SendLineAsync("LIST " + channel);
            await tester.ExpectCommandAsync("323");
            if (tester.Received.Any(l => l.Contains($" 322 tester {channel} 1 ")))
                return;
            await Task.Delay(200);
        }
        Assert.Fail($"the client never created {channel}");
    }

    // The window switch is typed again every few seconds until the server window shows: on a loaded machine a
    // client busy with its join burst has been seen to miss it once.
    private static async Task ShowServerWindowAsync(TmuxSession tmux, IRealClient client)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            tmux.TypeLine(client.ShowServerWindow);
            if (await tmux.WaitForScreenAsync("MOTD File is missing", TimeSpan.FromSeconds(5)))
                return;
        }
        Assert.Fail($"{client.Name} never showed its server window:\n{tmux.Screen()}");
    }

    private static async Task ExpectScreenAsync(TmuxSession tmux, string text, IRealClient client)
    {
        if (!await tmux.WaitForScreenAsync(text, Patience))
            Assert.Fail($"{client.Name} never showed \"{text}\":\n{tmux.Screen()}");
    }

    // A client killed mid-test may still be writing its configuration for a moment.
    private static void DeleteHome(string home)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(home, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string After(string line, string marker) => line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
}
