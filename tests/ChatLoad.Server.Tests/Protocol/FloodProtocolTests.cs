using System.Diagnostics;
using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>
/// Flood control over real sockets, both models, default settings (burst 5, then 2 lines/s, 20 held at most): a
/// flooder is slowed, then closed with <c>ERROR :Excess flood</c>, and nobody else pays.
/// </summary>
public sealed class FloodProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task One_member_flooding_at_line_rate_is_closed_and_the_16_others_lose_nothing(ConnectionMode mode)
    {
        // The probe: 16 members and one that sends as fast as it can. Before flood control every other member
        // got ERROR :SendQ exceeded; now only the flooder goes.
        await using TestServer server = await TestServer.StartAsync(mode);
        var members = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < 16; i++)
            {
                TestIrcClient member = await server.ConnectAndRegisterAsync("m" + i);
                members.Add(member);
                await member.JoinAsync("#busy");
            }
            await using TestIrcClient flooder = await server.ConnectAndRegisterAsync("flooder");
            await flooder.JoinAsync("#busy");

            var flood = new StringBuilder();
            for (int i = 0; i < 2000; i++)
                flood.Append("PRIVMSG #busy :flood ").Append(i).Append(' ').Append('x', 400).Append("\r\n");
            byte[] bytes = Encoding.ASCII.GetBytes(flood.ToString());
            try
            {
                for (int round = 0; round < 10; round++)
                    await flooder.SendRawAsync(bytes); // ~8 MB at line rate, until the server closes it
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
            {
                // closed under our feet: expected
            }
            Assert.Equal("ERROR :Excess flood", await flooder.ExpectCommandAsync("ERROR"));

            await members[0].SendLineAsync("PRIVMSG #busy :after the flood");
            foreach (TestIrcClient member in members)
            {
                int floodLines = 0;
                if (member != members[0])
                    await member.ExpectAsync(l => l.EndsWith(":after the flood", StringComparison.Ordinal), "the calm message");
                await member.SendLineAsync("PING :alive");
                await member.ExpectAsync(l => l.EndsWith(":alive", StringComparison.Ordinal), "PONG");
                floodLines = member.Received.Count(l => l.Contains(" PRIVMSG #busy :flood ", StringComparison.Ordinal));
                Assert.InRange(floodLines, 1, 5 + 20); // the burst; held lines die with the flooder
                Assert.DoesNotContain(member.Received, l => TestIrcClient.CommandOf(l) == "ERROR");
                Assert.Contains(member.Received, l => l.StartsWith(":flooder!", StringComparison.Ordinal) && l.Contains(" QUIT :Excess flood", StringComparison.Ordinal));
            }
        }
        finally
        {
            foreach (TestIrcClient member in members)
                await member.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Two_hundred_lines_in_one_write_get_the_burst_then_excess_flood(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("burst");
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // registration spent part of the burst: let the cooldown pass

        var burst = new StringBuilder();
        for (int i = 0; i < 200; i++)
            burst.Append("PING n").Append(i).Append("\r\n");
        await client.SendRawAsync(Encoding.ASCII.GetBytes(burst.ToString()));

        Assert.Equal("ERROR :Excess flood", await client.ExpectCommandAsync("ERROR"));
        string[] pongs = client.Received.Where(l => TestIrcClient.CommandOf(l) == "PONG").ToArray();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => "n" + i), pongs.Select(l => l[(l.LastIndexOf(':') + 1)..]));
        Assert.True(await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_paste_of_twelve_lines_arrives_whole_and_in_order_only_spaced_out(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient paster = await server.ConnectAndRegisterAsync("paster");
        await using TestIrcClient reader = await server.ConnectAndRegisterAsync("reader");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var paste = new StringBuilder();
        for (int i = 0; i < 12; i++)
            paste.Append("PRIVMSG reader :line ").Append(i).Append("\r\n");
        var clock = Stopwatch.StartNew();
        await paster.SendRawAsync(Encoding.ASCII.GetBytes(paste.ToString()));
        for (int i = 0; i < 12; i++)
            Assert.EndsWith($":line {i}", await reader.ExpectCommandAsync("PRIVMSG"));

        // 5 at once, then 7 held 500 ms apart: at least 3.5 s (asserted with a wide margin, a structural property).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"12 lines took {clock.Elapsed}: they were not spaced out");
        Assert.DoesNotContain(paster.Received, l => TestIrcClient.CommandOf(l) == "ERROR");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Flood_control_off_lets_the_burst_through(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["FloodControl"] = "false" });
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("free");
        var burst = new StringBuilder();
        for (int i = 0; i < 200; i++)
            burst.Append("PING n").Append(i).Append("\r\n");
        await client.SendRawAsync(Encoding.ASCII.GetBytes(burst.ToString()));
        for (int i = 0; i < 200; i++)
            Assert.EndsWith("n" + i, await client.ExpectCommandAsync("PONG"));
    }
}
