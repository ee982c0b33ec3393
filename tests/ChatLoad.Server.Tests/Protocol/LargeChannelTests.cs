using System.Diagnostics;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>
/// JOIN and WHO on a channel of thousands answer a reader that keeps up completely, with the default 64 KiB
/// SendQ, in both models: 2,500 members with 30-character nicks make a NAMES reply of ~80 KB and a WHO reply of
/// ~300 KB, both past the SendQ (a reply sent in one piece got its requester dropped with "SendQ exceeded").
/// </summary>
[Collection(Hosting.ServerProcessCollection.Name)] // thousands of sockets: not beside other tests
public sealed class LargeChannelTests(ITestOutputHelper output)
{
    private const int Members = 2_500;

    // Nicks of the full NICKLEN (30): "m0000xxxx...".
    private static string NickOf(int i) => $"m{i:D4}".PadRight(30, 'x');

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Join_and_who_on_a_channel_of_thousands_reach_a_reader_that_keeps_up(ConnectionMode mode)
    {
        // The crowd reads but does not answer PINGs: keep the server from pinging it while the channel builds.
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["PingInterval"] = "00:30:00" });
        var clock = Stopwatch.StartNew();
        await using ChannelCrowd crowd = await ChannelCrowd.JoinAsync(server.Port, "#big", Members, NickOf, TimeSpan.FromMinutes(4));
        TimeSpan built = clock.Elapsed;
        await using TestIrcClient reader = await server.ConnectAndRegisterAsync("reader");

        clock.Restart();
        await reader.SendLineAsync("JOIN #big");
        Assert.EndsWith(" JOIN #big", await reader.ExpectCommandAsync("JOIN"));
        var names = new List<string>();
        while (true)
        {
            string line = await reader.ExpectAsync(l => TestIrcClient.CommandOf(l) is "353" or "366", "353 or 366");
            if (TestIrcClient.CommandOf(line) == "366")
                break;
            Assert.InRange(line.Length + 2, 1, 512);
            names.AddRange(line[(line.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ').Select(n => n.TrimStart('@', '+')));
        }
        TimeSpan joined = clock.Elapsed;
        // Members joined many at a time, so the channel's order is theirs; the reader joined last.
        Assert.Equal("reader", names[^1]);
        Assert.Equal(crowd.Nicks.Order(), names[..^1].Order());

        clock.Restart();
        await reader.SendLineAsync("WHO #big");
        await reader.SendLineAsync("PING after-who");
        var who = new List<string>();
        while (true)
        {
            string line = await reader.ExpectAsync(l => TestIrcClient.CommandOf(l) is "352" or "315", "352 or 315");
            if (TestIrcClient.CommandOf(line) == "315")
                break;
            who.Add(line.Split(' ')[7]);
        }
        // The PING sent right after WHO is answered after the whole reply: it waited while the reply streamed.
        Assert.EndsWith("after-who", await reader.ExpectCommandAsync("PONG"));
        TimeSpan listed = clock.Elapsed;
        Assert.Equal(names, who); // the same members, in the same (channel) order

        output.WriteLine($"{mode}: {Members:N0} members joined in {built.TotalSeconds:F1} s; the reader's JOIN brought " +
            $"{names.Count:N0} names in {joined.TotalMilliseconds:F0} ms; WHO brought {who.Count:N0} entries in {listed.TotalMilliseconds:F0} ms");
    }
}
