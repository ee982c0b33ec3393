using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>Channels over real loopback sockets, for both connection models.</summary>
public sealed class ChannelProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Join_part_and_quit_are_seen_by_the_members(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await using TestIrcClient carol = await server.ConnectAndRegisterAsync("carol");

        await alice.SendLineAsync("JOIN #room");
        Assert.Equal(":alice!alice@127.0.0.1 JOIN #room", await alice.ExpectCommandAsync("JOIN"));
        Assert.EndsWith(" 353 alice = #room :@alice", await alice.ExpectCommandAsync("353"));
        await alice.ExpectCommandAsync("366");

        await bob.SendLineAsync("JOIN #room");
        Assert.EndsWith(" 353 bob = #room :@alice bob", await bob.ExpectCommandAsync("353"));
        Assert.Equal(":bob!bob@127.0.0.1 JOIN #room", await alice.ExpectCommandAsync("JOIN"));

        await bob.SendLineAsync("PART #room :later");
        Assert.Equal(":bob!bob@127.0.0.1 PART #room :later", await alice.ExpectCommandAsync("PART"));
        Assert.Equal(":bob!bob@127.0.0.1 PART #room :later", await bob.ExpectCommandAsync("PART"));

        await carol.JoinAsync("#room");
        await alice.ExpectCommandAsync("JOIN");
        await carol.SendLineAsync("QUIT :gone fishing");
        Assert.Equal(":carol!carol@127.0.0.1 QUIT :Quit: gone fishing", await alice.ExpectCommandAsync("QUIT"));
        Assert.StartsWith("ERROR :Closing link", await carol.ExpectCommandAsync("ERROR"));
        Assert.True(await carol.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_channel_message_reaches_each_of_50_members_exactly_once_in_order(ConnectionMode mode)
    {
        const int members = 50, messages = 5;
        await using TestServer server = await TestServer.StartAsync(mode);
        var clients = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < members; i++)
            {
                TestIrcClient client = await server.ConnectAndRegisterAsync($"fan{i}");
                clients.Add(client);
                await client.JoinAsync("#fanout");
            }

            for (int m = 0; m < messages; m++)
                await clients[0].SendLineAsync($"PRIVMSG #fanout :message {m}");
            // The sender's own order is kept, so once a member sees the end marker it has everything before it.
            await clients[0].SendLineAsync("PRIVMSG #fanout :end");
            foreach (TestIrcClient client in clients.Skip(1))
                await client.ExpectAsync(l => l.EndsWith("PRIVMSG #fanout :end", StringComparison.Ordinal), "the end marker");

            foreach (TestIrcClient client in clients.Skip(1))
            {
                var received = client.Received.Where(l => TestIrcClient.CommandOf(l) == "PRIVMSG" && !l.EndsWith(":end", StringComparison.Ordinal)).ToList();
                Assert.Equal(Enumerable.Range(0, messages).Select(m => $":fan0!fan0@127.0.0.1 PRIVMSG #fanout :message {m}"), received);
            }
            Assert.DoesNotContain(clients[0].Received, l => TestIrcClient.CommandOf(l) == "PRIVMSG");
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
    public async Task One_message_reaches_299_other_members(ConnectionMode mode)
    {
        // The acceptance check of issue 2: 300 clients register, join one channel, one PRIVMSG reaches the 299 others.
        const int members = 300;
        await using TestServer server = await TestServer.StartAsync(mode);
        var clients = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < members; i++)
            {
                TestIrcClient client = await server.ConnectAndRegisterAsync($"c{i}");
                clients.Add(client);
                await client.JoinAsync("#all");
            }
            await clients[^1].SendLineAsync("PRIVMSG #all :one for all");
            await Task.WhenAll(clients.Take(members - 1).Select(c => c.ExpectAsync(
                l => l == $":c{members - 1}!c{members - 1}@127.0.0.1 PRIVMSG #all :one for all", "the broadcast")));
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
    public async Task Topic_names_and_who_answer(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#t");
        await bob.JoinAsync("#t");

        await alice.SendLineAsync("TOPIC #t :the topic");
        Assert.Equal(":alice!alice@127.0.0.1 TOPIC #t :the topic", await bob.ExpectCommandAsync("TOPIC"));

        await bob.SendLineAsync("NAMES #t");
        Assert.EndsWith(" 353 bob = #t :@alice bob", await bob.ExpectCommandAsync("353"));
        await bob.ExpectCommandAsync("366");

        await bob.SendLineAsync("WHO #t");
        Assert.Contains(" 352 bob #t alice 127.0.0.1 ", await bob.ExpectCommandAsync("352"));
        Assert.Contains(" 352 bob #t bob 127.0.0.1 ", await bob.ExpectCommandAsync("352"));
        await bob.ExpectCommandAsync("315");

        await using TestIrcClient carol = await server.ConnectAndRegisterAsync("carol");
        await carol.SendLineAsync("JOIN #t");
        Assert.EndsWith(" 332 carol #t :the topic", await carol.ExpectCommandAsync("332"));
    }
}
