using System.Text.RegularExpressions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>IRCv3 capabilities and MONITOR over real loopback sockets, for both models.</summary>
public sealed class CapabilityProtocolTests
{
    private static async Task<TestIrcClient> RegisterWithAsync(TestServer server, string nick, string capabilities)
    {
        TestIrcClient client = await server.ConnectAsync();
        await client.SendLineAsync("CAP LS 302");
        await client.SendLineAsync("CAP REQ :" + capabilities);
        await client.SendLineAsync($"NICK {nick}");
        await client.SendLineAsync($"USER {nick} 0 * :Test {nick}");
        Assert.EndsWith($" ACK :{capabilities}", await client.ExpectAsync(l => l.Contains(" ACK ") || l.Contains(" NAK "), "ACK"));
        await client.SendLineAsync("CAP END");
        await client.ExpectAsync(l => TestIrcClient.CommandOf(l) is "376" or "422", "end of MOTD");
        return client;
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Tags_reach_only_the_clients_that_negotiated_them(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await RegisterWithAsync(server, "alice", "message-tags echo-message server-time");
        await using TestIrcClient bob = await RegisterWithAsync(server, "bob", "message-tags");
        await using TestIrcClient carol = await server.ConnectAndRegisterAsync("carol");
        foreach (TestIrcClient c in new[] { alice, bob, carol })
            await c.JoinAsync("#tags");
        await alice.ExpectAsync(l => l.Contains("carol!") && TestIrcClient.CommandOf(l) == "JOIN", "carol's join");
        await bob.ExpectAsync(l => l.Contains("carol!") && TestIrcClient.CommandOf(l) == "JOIN", "carol's join");

        await alice.SendLineAsync("@+draft/reply=1;secret=x PRIVMSG #tags :tagged");
        string echo = await alice.ExpectCommandAsync("PRIVMSG");
        string atBob = await bob.ExpectCommandAsync("PRIVMSG");
        string atCarol = await carol.ExpectCommandAsync("PRIVMSG");
        Assert.Matches(@"^@time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z;msgid=(\w+);\+draft/reply=1 :alice!alice@127\.0\.0\.1 PRIVMSG #tags :tagged$", echo);
        Assert.Matches(@"^@msgid=(\w+);\+draft/reply=1 :alice!alice@127\.0\.0\.1 PRIVMSG #tags :tagged$", atBob);
        Assert.Equal(Regex.Match(echo, "msgid=(\\w+)").Groups[1].Value, Regex.Match(atBob, "msgid=(\\w+)").Groups[1].Value);
        Assert.Equal(":alice!alice@127.0.0.1 PRIVMSG #tags :tagged", atCarol);
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Labeled_responses_are_batched_and_monitor_reports_sign_on_and_off(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        string s = server.Options.ServerName;
        await using TestIrcClient watcher = await RegisterWithAsync(server, "watcher", "batch labeled-response");
        await watcher.SendLineAsync("@label=w1 WHOIS watcher");
        Assert.Matches(@$"^@label=w1 :{Regex.Escape(s)} BATCH \+\w+ labeled-response$", await watcher.ReadLineAsync());
        string end = await watcher.ExpectCommandAsync("BATCH");
        Assert.StartsWith($":{s} BATCH -", end);

        await watcher.SendLineAsync("MONITOR + friend");
        Assert.Equal($":{s} 731 watcher :friend", await watcher.ExpectCommandAsync("731"));
        TestIrcClient friend = await server.ConnectAndRegisterAsync("friend");
        Assert.Equal($":{s} 730 watcher :friend!friend@127.0.0.1", await watcher.ExpectCommandAsync("730"));
        await friend.SendLineAsync("QUIT");
        Assert.Equal($":{s} 731 watcher :friend", await watcher.ExpectCommandAsync("731"));
        await friend.DisposeAsync();
    }
}
