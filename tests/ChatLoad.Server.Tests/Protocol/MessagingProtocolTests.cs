using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>Private messages, PING and error replies over real loopback sockets, for both connection models.</summary>
public sealed class MessagingProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Private_messages_reach_the_nick_and_errors_come_back(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");

        await alice.SendLineAsync("PRIVMSG BOB :hello, bob");
        Assert.Equal(":alice!alice@127.0.0.1 PRIVMSG bob :hello, bob", await bob.ExpectCommandAsync("PRIVMSG"));

        await alice.SendLineAsync("PRIVMSG nobody :x");
        Assert.EndsWith(" 401 alice nobody :No such nick/channel", await alice.ExpectCommandAsync("401"));
        await alice.SendLineAsync("PRIVMSG #nochannel :x");
        Assert.EndsWith(" 403 alice #nochannel :No such channel", await alice.ExpectCommandAsync("403"));
        await bob.JoinAsync("#bobs");
        await alice.SendLineAsync("PRIVMSG #bobs :let me in");
        Assert.EndsWith(" 404 alice #bobs :Cannot send to channel", await alice.ExpectCommandAsync("404"));
        await alice.SendLineAsync("PRIVMSG");
        await alice.ExpectCommandAsync("411");
        await alice.SendLineAsync("PRIVMSG bob");
        await alice.ExpectCommandAsync("412");
        await alice.SendLineAsync("BOGUS");
        Assert.EndsWith(" 421 alice BOGUS :Unknown command", await alice.ExpectCommandAsync("421"));
        await alice.SendLineAsync("PART #bobs");
        Assert.EndsWith(" 442 alice #bobs :You're not on that channel", await alice.ExpectCommandAsync("442"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Ping_is_answered_with_pong_from_the_server_name(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["ServerName"] = "irc.test.example" });
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("pinger");
        await client.SendLineAsync("PING 12345");
        Assert.Equal(":irc.test.example PONG irc.test.example :12345", await client.ExpectCommandAsync("PONG"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task An_idle_client_is_pinged_by_the_server(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["PingInterval"] = "00:00:01",
            ["PingTimeout"] = "00:00:30",
        });
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("idler");
        string ping = await client.ExpectCommandAsync("PING", TimeSpan.FromSeconds(15));
        Assert.Equal("PING :" + server.Options.ServerName, ping);
        await client.SendLineAsync("PONG :" + server.Options.ServerName);
        await client.SendLineAsync("PING :alive");
        await client.ExpectAsync(l => l.EndsWith(":alive", StringComparison.Ordinal), "PONG :alive");
    }
}
