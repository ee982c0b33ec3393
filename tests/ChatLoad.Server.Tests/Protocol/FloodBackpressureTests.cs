using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>
/// Once throttled, a client's socket is not read (both models): what it sends piles up in the kernel and TCP pushes
/// back on it, while everyone else is served. Asserted from the server's own byte counter and the flooder's blocked send.
/// </summary>
public sealed class FloodBackpressureTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_throttled_flooder_is_not_read_and_tcp_pushes_back_on_it_alone(ConnectionMode mode)
    {
        // Disconnect bounds lifted, so the test sees the pause itself rather than the close that follows it by default.
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["FloodMaxUnreadBytes"] = (64 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
            ["FloodMaxQueuedLines"] = "10000",
        }, enableMetrics: true);
        await using TestIrcClient member = await server.ConnectAndRegisterAsync("member");
        await member.JoinAsync("#room");
        await using TestIrcClient flooder = await server.ConnectAndRegisterAsync("flooder", receiveBufferBytes: 4096);
        flooder.Socket.SendBufferSize = 64 * 1024;
        await flooder.JoinAsync("#room");
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // a fresh burst
        double bytesInBefore = Counter(await server.ScrapeMetricsAsync(), "chatload_server_chatload_bytes_in");

        // 32 MiB of PRIVMSGs at line rate. Were the server reading them, it would take them all within a second.
        byte[] line = Encoding.ASCII.GetBytes("PRIVMSG #room :" + new string('f', 400) + "\r\n");
        var flood = new byte[line.Length * 16]; // small writes, so "sent" counts what the kernel took
        for (int i = 0; i < 16; i++)
            line.CopyTo(flood, i * line.Length);
        long sent = 0;
        using var stop = new CancellationTokenSource();
        Task flooding = Task.Run(async () =>
        {
            try
            {
                while (sent < 32L * 1024 * 1024 && !stop.IsCancellationRequested)
                {
                    int n = await flooder.Socket.SendAsync(flood, SocketFlags.None, stop.Token);
                    Interlocked.Add(ref sent, n);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException) { }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(flooding.IsCompleted, $"the flooder sent all {Interlocked.Read(ref sent)} bytes: nothing pushed back");
        double taken = Counter(await server.ScrapeMetricsAsync(), "chatload_server_chatload_bytes_in") - bytesInBefore;
        long pushed = Interlocked.Read(ref sent);

        // The server read a few receives' worth (one line every 500 ms after the burst), far from what was pushed; the
        // rest sits in the kernel's buffers, which is what the flooder's blocked send shows.
        output.WriteLine($"{mode}: in 3 s the flooder pushed {pushed:N0} bytes into the kernel; the server read {taken:N0}");
        Assert.True(taken < 1024 * 1024, $"the server read {taken} bytes from a throttled client");
        Assert.True(pushed > taken, $"pushed {pushed}, taken {taken}");

        // Nobody else pays: the member is answered at once, and got only the flooder's burst and its paced lines.
        await member.SendLineAsync("PING :calm");
        await member.ExpectAsync(l => l.EndsWith(":calm", StringComparison.Ordinal), "PONG", TimeSpan.FromSeconds(5));
        int floodLines = member.Received.Count(l => l.Contains(" PRIVMSG #room :fff", StringComparison.Ordinal));
        Assert.InRange(floodLines, 0, 5 + 2 * 5); // the burst plus at most ~2 a second for the seconds waited
        Assert.DoesNotContain(member.Received, l => TestIrcClient.CommandOf(l) == "ERROR");

        stop.Cancel();
        flooder.Socket.LingerState = new LingerOption(true, 0);
        flooder.Socket.Close();
        await flooding;
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task With_default_bounds_a_flooder_pushing_against_tcp_is_closed_with_excess_flood(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient member = await server.ConnectAndRegisterAsync("member");
        await using TestIrcClient flooder = await server.ConnectAndRegisterAsync("flooder");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        // Long lines (few per read, so the kernel's queue is what passes its bound, not the lines counted).
        byte[] line = Encoding.ASCII.GetBytes("PRIVMSG member :" + new string('f', 480) + "\r\n");
        var flood = new byte[line.Length * 1000];
        for (int i = 0; i < 1000; i++)
            line.CopyTo(flood, i * line.Length);
        try
        {
            for (int round = 0; round < 8; round++)
                await flooder.SendRawAsync(flood);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException) { }
        Assert.Equal("ERROR :Excess flood", await flooder.ExpectCommandAsync("ERROR"));

        await member.SendLineAsync("PING :fine");
        await member.ExpectAsync(l => l.EndsWith(":fine", StringComparison.Ordinal), "PONG");
        Assert.InRange(member.Received.Count(l => l.Contains(" PRIVMSG member :", StringComparison.Ordinal)), 1, 5 + 20);
    }

    private static double Counter(string exposition, string name)
    {
        Match m = Regex.Match(exposition, $@"(?m)^{Regex.Escape(name)}(?:\{{[^}}]*\}})? (\S+)$");
        Assert.True(m.Success, $"metric {name} not in the scrape:\n{exposition}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
