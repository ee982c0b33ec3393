using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>Both transports carry lines both ways, in order, whole or split at any byte.</summary>
public sealed class TransportRoundTripTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Channel_message_reaches_the_other_member(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#t");
        await bob.JoinAsync("#t");

        await alice.SendLineAsync("PRIVMSG #t :hello bob");

        string line = await bob.ExpectCommandAsync("PRIVMSG");
        Assert.StartsWith(":alice!", line);
        Assert.EndsWith("PRIVMSG #t :hello bob", line);
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task With_a_send_coalescing_window_every_member_gets_every_line_in_order(ConnectionMode mode)
    {
        // A wide window (both models gather up to 50 ms of lines per write): lines that keep coming for longer than
        // the window (so each member's writer waits it out several times: async's passes, threads' writer thread),
        // then a lone line after a quiet spell, all arrive, in order, at every member.
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["FloodControl"] = "false",
            ["SendCoalescingWindow"] = "00:00:00.050",
        });
        await using TestIrcClient talker = await server.ConnectAndRegisterAsync("talker");
        await using TestIrcClient first = await server.ConnectAndRegisterAsync("first");
        await using TestIrcClient second = await server.ConnectAndRegisterAsync("second");
        await talker.JoinAsync("#c");
        await first.JoinAsync("#c");
        await second.JoinAsync("#c");
        await first.ExpectAsync(l => l.Contains("JOIN") && l.StartsWith(":second!"), "second's JOIN");

        const int count = 300;
        const int perWrite = 20;
        for (int sent = 0; sent < count; sent += perWrite)
        {
            var burst = new System.Text.StringBuilder();
            for (int i = sent; i < sent + perWrite; i++)
                burst.Append("PRIVMSG #c :n").Append(i).Append("\r\n");
            await talker.SendRawAsync(System.Text.Encoding.ASCII.GetBytes(burst.ToString()));
            await Task.Delay(10); // 15 writes over 150 ms or more: three windows at least
        }
        await Task.Delay(200);
        await talker.SendLineAsync("PRIVMSG #c :lone");

        foreach (TestIrcClient member in new[] { first, second })
        {
            for (int i = 0; i < count; i++)
                Assert.EndsWith("PRIVMSG #c :n" + i, await member.ExpectCommandAsync("PRIVMSG"));
            Assert.EndsWith("PRIVMSG #c :lone", await member.ExpectCommandAsync("PRIVMSG"));
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_line_sent_one_byte_at_a_time_works_like_a_whole_one(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("slowtyper");

        foreach (byte b in "PING byte-by-byte\r\n"u8.ToArray())
        {
            await client.SendRawAsync(new[] { b });
            await Task.Delay(2);
        }

        string pong = await client.ExpectCommandAsync("PONG");
        Assert.EndsWith("byte-by-byte", pong);
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Many_lines_in_one_write_are_answered_in_order(ConnectionMode mode)
    {
        // The transport's framing and ordering of a big burst; with flood control on (the default) this client
        // would rightly be closed for Excess flood (FloodProtocolTests).
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["FloodControl"] = "false" });
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("burst");

        const int count = 200;
        var burst = new System.Text.StringBuilder();
        for (int i = 0; i < count; i++)
            burst.Append("PING n").Append(i).Append("\r\n");
        await client.SendRawAsync(System.Text.Encoding.ASCII.GetBytes(burst.ToString()));

        for (int i = 0; i < count; i++)
        {
            string pong = await client.ExpectCommandAsync("PONG");
            Assert.EndsWith("n" + i, pong);
        }
    }
}
