using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoad.LoadTests.Comparison;
using ChatLoad.LoadTests.Tests.Scenarios;

namespace ChatLoad.LoadTests.Tests.Comparison.Peers;

/// <summary>
/// The Python servers' bounded send queues: a member that stops reading is dropped (its channel sees
/// <c>QUIT :SendQ exceeded</c>) while a member that reads gets every message, in order. This is what lets the
/// threads server claim that one slow reader stalls nobody but its own writer thread.
/// </summary>
[Collection(RealServerCollection.Name)]
public sealed class PythonSlowReaderTests
{
    /// <summary>Longest the test sends before giving up on the drop. Loopback's autotuned kernel buffers (MBs) must
    /// fill before the 64 KiB queue does; at ~2 MB/s that takes seconds.</summary>
    private static readonly TimeSpan SendBound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("py-threads")]
    [InlineData("py-asyncio")]
    public async Task A_reader_that_stops_is_dropped_while_the_others_get_everything_in_order(string name)
    {
        string folder = Path.Combine(Path.GetTempPath(), "chatload-peer-tests", $"{name}-slow-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        await using var server = await ReferenceServerLauncher.StartAsync(ReferenceServers.Find(name)!, null, Path.Combine(folder, "server.log"),
            Path.Combine(folder, "config"), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        var endPoint = new IPEndPoint(IPAddress.Loopback, server.Port);

        using var slow = await LineClient.RegisterAsync(endPoint, "slow", receiveBuffer: 4096);
        using var alice = await LineClient.RegisterAsync(endPoint, "alice");
        using var sender = await LineClient.RegisterAsync(endPoint, "sender");
        foreach (var client in new[] { slow, alice, sender })
            await client.JoinAsync("#room");
        await alice.ReadUntilAsync(l => l.Contains(" JOIN #room") && l.StartsWith(":sender!"));
        // From here slow reads nothing more.

        int received = 0, outOfOrder = 0;
        string? slowQuit = null;
        var reading = Task.Run(async () =>
        {
            while (slowQuit is null && await alice.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(":slow!") && line.Contains(" QUIT ")) slowQuit = line;
                else if (line.StartsWith(":sender!") && line.Contains(" PRIVMSG #room :") && int.TryParse(line[(line.LastIndexOf(':') + 1)..].Split(' ')[0], out int n))
                {
                    if (n != received) outOfOrder++;
                    received++;
                }
            }
        });

        string padding = new('x', 380);
        int sent = 0;
        var clock = Stopwatch.StartNew();
        while (slowQuit is null && clock.Elapsed < SendBound)
        {
            // 50 lines every 10 ms, about 2 MB/s: fast enough to fill the slow reader's buffers in seconds, slow enough
            // that alice, reading as fast as she can, never falls 64 KiB behind.
            var batch = new StringBuilder();
            for (int i = 0; i < 50; i++, sent++) batch.Append($"PRIVMSG #room :{sent} {padding}\r\n");
            await sender.SendAsync(batch.ToString());
            await Task.Delay(10);
        }
        await sender.SendAsync("PING done\r\n");
        await sender.ReadUntilAsync(l => l.Contains("PONG") && l.EndsWith("done"));
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.True(slowQuit is not null, $"{name}: the reader that stopped was not dropped after {sent:N0} messages in {clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains("SendQ exceeded", slowQuit);
        Assert.Equal(0, outOfOrder);
        // alice stops counting at slow's QUIT; every message the server relayed before it reached her.
        Assert.True(received > 0 && received <= sent, $"{name}: alice got {received:N0} of {sent:N0}");
        await server.StopAsync(TimeSpan.FromSeconds(10));
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>A bare IRC connection for this test: raw lines both ways.</summary>
    private sealed class LineClient : IDisposable
    {
        private readonly Socket _socket;
        private readonly StreamReader _reader;

        private LineClient(Socket socket)
        {
            _socket = socket;
            _reader = new StreamReader(new NetworkStream(socket), Encoding.UTF8);
        }

        public static async Task<LineClient> RegisterAsync(IPEndPoint server, string nick, int receiveBuffer = 0)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (receiveBuffer > 0) socket.ReceiveBufferSize = receiveBuffer;
            await socket.ConnectAsync(server);
            var client = new LineClient(socket);
            await client.SendAsync($"NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\n");
            await client.ReadUntilAsync(l => l.Contains(" 001 "));
            return client;
        }

        public async Task JoinAsync(string channel)
        {
            await SendAsync($"JOIN {channel}\r\n");
            await ReadUntilAsync(l => l.Contains(" 366 "));
        }

        public Task SendAsync(string lines) => _socket.SendAsync(Encoding.UTF8.GetBytes(lines), SocketFlags.None);

        public async Task<string?> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { return await _reader.ReadLineAsync(timeout.Token); }
            catch (Exception e) when (e is OperationCanceledException or IOException) { return null; }
        }

        public async Task ReadUntilAsync(Func<string, bool> wanted)
        {
            while (await ReadLineAsync() is { } line)
                if (wanted(line)) return;
            throw new TimeoutException("the line waited for never came");
        }

        public void Dispose() => _socket.Dispose();
    }
}
