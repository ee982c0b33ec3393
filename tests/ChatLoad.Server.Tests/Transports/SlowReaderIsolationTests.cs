using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// Members that stop reading delay nobody else: while half of a busy channel stops reading, the members that
/// keep reading get every message, in order, with a latency far below the close deadline (SendTimeout, set to
/// 30 s here). In the design this replaced, the threads model's sender wrote to each recipient itself and was
/// held up to the send timeout by every recipient that stopped reading, so the others' latency went to seconds.
/// A structural property, asserted with a wide margin (max under 5 s against 30 s, though a quiet machine shows
/// tens of milliseconds: the readers' own process shares the busy test machine); the figures are printed.
/// </summary>
public sealed class SlowReaderIsolationTests(ITestOutputHelper output)
{
    private const int Readers = 4;
    private const int Stoppers = 8;
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LatencyBound = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Members_that_stop_reading_delay_nobody_else(ConnectionMode mode)
    {
        // A 4 MiB SendQ, so a reader that the busy test machine starves for a moment is not dropped for it (at
        // 2 MB/s the default 64 KiB is 30 ms of lag); the stoppers fill their socket buffers all the same.
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["SendTimeout"] = CloseDeadline.ToString(),
            ["FloodControl"] = "false", // the talker sends 4,000 lines a second on purpose
            ["SendQueueBytes"] = (4 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        });
        await using TestIrcClient talker = await server.ConnectAndRegisterAsync("talker");
        await talker.JoinAsync("#busy");
        var readers = new List<TestIrcClient>();
        var stoppers = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < Readers; i++)
            {
                readers.Add(await server.ConnectAndRegisterAsync("reader" + i));
                await readers[^1].JoinAsync("#busy");
            }
            for (int i = 0; i < Stoppers; i++)
            {
                // A small receive window: a member that stops reading fills its buffers after little traffic.
                stoppers.Add(await server.ConnectAndRegisterAsync("stopper" + i, receiveBufferBytes: 4096));
                await stoppers[^1].JoinAsync("#busy");
            }
            foreach (TestIrcClient reader in readers)
                await reader.ExpectAsync(l => l.Contains("stopper" + (Stoppers - 1) + "!"), "the last stopper's JOIN");
            // From here the stoppers read nothing more.

            // ~2 MB/s to every member for 5 s: more than a stopper's socket buffers take (up to 4 MiB of send
            // buffer on loopback), so the server meets stopped readers for most of the run. The readers parse raw
            // bytes, so they keep up.
            const int messages = 20_000;
            const int batch = 20;
            string padding = new('p', 400);
            Task<List<double>>[] reading = readers.Select(r => ReadAllAsync(r, messages)).ToArray();
            var pace = Stopwatch.StartNew();
            for (int sent = 0; sent < messages; sent += batch)
            {
                var lines = new StringBuilder();
                for (int i = sent; i < sent + batch; i++)
                    lines.Append("PRIVMSG #busy :").Append(i).Append(' ').Append(Stopwatch.GetTimestamp()).Append(' ').Append(padding).Append("\r\n");
                await talker.SendRawAsync(Encoding.ASCII.GetBytes(lines.ToString()));
                // 4,000 messages a second, in 5 ms steps.
                TimeSpan due = TimeSpan.FromMilliseconds((sent + batch) / 4.0);
                if (due > pace.Elapsed)
                    await Task.Delay(due - pace.Elapsed);
            }

            List<double>[] latencies = await Task.WhenAll(reading);
            double[] all = latencies.SelectMany(l => l).Order().ToArray();
            double p99 = all[(int)(all.Length * 0.99)];
            double max = all[^1];
            output.WriteLine($"{mode}: {Readers} readers got {messages:N0} messages each while {Stoppers} members did not read; " +
                $"latency p50 {all[all.Length / 2]:F2} ms, p99 {p99:F2} ms, max {max:F1} ms");
            Assert.True(max < LatencyBound.TotalMilliseconds,
                $"a reader waited {max:F0} ms for a message (bound {LatencyBound.TotalMilliseconds} ms, close deadline {CloseDeadline.TotalMilliseconds} ms)");
        }
        finally
        {
            foreach (TestIrcClient client in readers.Concat(stoppers))
                await client.DisposeAsync();
        }
    }

    // Every message, in order, and each one's latency in ms (the send timestamp is in the text). Reads the raw
    // socket (the client has read nothing past the last JOIN) and parses in place: no string per line.
    private static async Task<List<double>> ReadAllAsync(TestIrcClient reader, int messages)
    {
        var latencies = new List<double>(messages);
        byte[] marker = Encoding.ASCII.GetBytes(" PRIVMSG #busy :");
        byte[] buffer = new byte[64 * 1024];
        int filled = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (latencies.Count < messages)
        {
            int n = await reader.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            if (n == 0)
                throw new IOException($"the server closed a reader after {latencies.Count:N0} of {messages:N0} messages");
            filled += n;
            int start = 0;
            int lf;
            while ((lf = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
            {
                ReadOnlySpan<byte> line = buffer.AsSpan(start, lf - start);
                start = lf + 1;
                int at = line.IndexOf(marker);
                if (at < 0)
                    continue; // a QUIT of a dropped stopper, say
                ReadOnlySpan<byte> text = line[(at + marker.Length)..];
                int space = text.IndexOf((byte)' ');
                Assert.Equal(latencies.Count, int.Parse(text[..space], CultureInfo.InvariantCulture));
                text = text[(space + 1)..];
                long sentAt = long.Parse(text[..text.IndexOf((byte)' ')], CultureInfo.InvariantCulture);
                latencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            }
            filled -= start;
            Buffer.BlockCopy(buffer, start, buffer, 0, filled);
        }
        return latencies;
    }
}
