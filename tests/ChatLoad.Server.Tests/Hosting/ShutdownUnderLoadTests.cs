using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// SIGTERM while clients chat (issue 8: 5,000 of them; CI runs 1,000, <c>scripts/shutdown-load.sh</c> the full 5,000
/// through this same test) and HTTP clients hold the metrics port with half-sent requests: every chat client reads
/// <c>ERROR :Server shutting down</c>, and the process exits 0 within --shutdown-timeout and a margin.
/// </summary>
[Collection(ServerProcessCollection.Name)]
public sealed class ShutdownUnderLoadTests(ITestOutputHelper output)
{
    /// <summary>Chat clients in CI; CHATLOAD_SHUTDOWN_CLIENTS raises it (the script: 5,000).</summary>
    private static int Clients =>
        int.TryParse(Environment.GetEnvironmentVariable("CHATLOAD_SHUTDOWN_CLIENTS"), out int n) && n > 0 ? n : 1_000;

    private const int RoomSize = 50;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task SIGTERM_while_clients_chat_tells_every_client_and_exits_0_in_time(ConnectionMode mode)
    {
        int count = Clients;
        int metricsPort = FreePort.Next();
        await using ServerProcess server = await ServerProcess.StartAsync(mode, "--flood-control", "off",
            "--metrics-port", metricsPort.ToString(), "--shutdown-timeout", "5s");
        await server.WaitForOutputAsync("Metrics endpoint");
        var clients = new TestIrcClient[count];
        var http = new List<Socket>();
        try
        {
            var setup = Stopwatch.StartNew();
            for (int batch = 0; batch < count; batch += 50)
            {
                await Task.WhenAll(Enumerable.Range(batch, Math.Min(50, count - batch)).Select(async i =>
                {
                    clients[i] = await TestIrcClient.ConnectAsync(server.Port);
                    await clients[i].RegisterAsync("c" + i);
                    await clients[i].JoinAsync("#room" + i / RoomSize);
                }));
            }
            output.WriteLine($"{mode}: {count} clients registered in rooms of {RoomSize} in {setup.Elapsed.TotalSeconds:F1} s");

            // Every client reads until its ERROR line (or the end of the stream).
            Task<string?>[] endings = clients.Select(ReadUntilErrorAsync).ToArray();

            // Chat: one message every 2 ms from a client chosen in turn, into its room, until SIGTERM.
            using var stopChat = new CancellationTokenSource();
            long sentMessages = 0;
            Task chatting = Task.Run(async () =>
            {
                for (int i = 0; !stopChat.IsCancellationRequested; i++)
                {
                    TestIrcClient speaker = clients[(i * 7919) % count];
                    try
                    {
                        await speaker.SendLineAsync($"PRIVMSG #room{(i * 7919) % count / RoomSize} :message {i}");
                        sentMessages++;
                    }
                    catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                    {
                        return; // the server is closing connections
                    }
                    await Task.Delay(2);
                }
            });

            // HTTP clients holding the metrics port: half-sent requests beyond the cap.
            for (int i = 0; i < 20; i++)
            {
                Socket socket = await RawHttp.ConnectAsync(IPAddress.Loopback, metricsPort);
                http.Add(socket);
                await socket.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), SocketFlags.None);
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            long threads = server.OsThreads;

            var clock = Stopwatch.StartNew();
            server.SendSigterm();
            int? exit = await server.WaitForExitAsync(ShutdownTimeout + TimeSpan.FromSeconds(10));
            TimeSpan exitAfter = clock.Elapsed;
            stopChat.Cancel();
            await chatting;
            string?[] got = await Task.WhenAll(endings);

            int told = got.Count(e => e == "ERROR :Server shutting down");
            var other = got.Where(e => e != "ERROR :Server shutting down").GroupBy(e => e ?? "(no ERROR line)").Select(g => $"{g.Count()} × {g.Key}");
            output.WriteLine($"{mode}: SIGTERM with {count} chatting clients ({sentMessages} messages sent, {threads} OS threads) and 20 HTTP " +
                             $"connections held: exit {exit?.ToString() ?? "none"} after {exitAfter.TotalMilliseconds:F0} ms; {told}/{count} read " +
                             $"'ERROR :Server shutting down'{(told < count ? "; others: " + string.Join(", ", other) : "")}");
            Assert.Equal(0, exit);
            Assert.True(exitAfter < ShutdownTimeout + TimeSpan.FromSeconds(5), $"exit came {exitAfter} after SIGTERM");
            Assert.Equal(count, told);
        }
        finally
        {
            foreach (Socket socket in http)
                socket.Dispose();
            foreach (TestIrcClient? client in clients)
            {
                if (client is not null)
                    await client.DisposeAsync();
            }
        }
    }

    // The client's ERROR line, or null when the stream ended (or nothing came for 60 s) without one.
    private static async Task<string?> ReadUntilErrorAsync(TestIrcClient client)
    {
        try
        {
            while (await client.ReadLineAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                if (line.StartsWith("ERROR", StringComparison.Ordinal))
                    return line;
            }
        }
        catch (TimeoutException) { }
        return null;
    }
}
