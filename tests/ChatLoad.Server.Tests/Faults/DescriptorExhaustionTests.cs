using System.Net.Http;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.Faults;

/// <summary>
/// Past the connection ceiling, at EMFILE: the server child runs under a 256-descriptor limit (prlimit) with its ceiling
/// put above that limit (<c>--descriptor-headroom -100</c>), so it runs out of descriptors (its accept meets EMFILE, or
/// its backstop sees the last ones about to go). It must not abort: the clients it has
/// keep working, the ones over the limit are told a true reason, a freed descriptor admits the next client, and
/// SIGTERM still exits 0.
/// </summary>
[Collection(ServerProcessCollection.Name)]
public sealed class DescriptorExhaustionTests(ITestOutputHelper output)
{
    private const int OpenFileLimit = 256;
    private const string ClosedWithoutALine = "(closed before a line was read)";

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task At_EMFILE_the_server_keeps_its_clients_refuses_with_the_reason_and_recovers(ConnectionMode mode)
    {
        int metricsPort = FreePort.Next();
        await using ServerProcess server = await ServerProcess.StartAsync(mode, openFileLimit: OpenFileLimit,
            "--descriptor-headroom", "-100", "--metrics-port", metricsPort.ToString(), "--shutdown-timeout", "3s");
        await server.WaitForOutputAsync("Metrics endpoint");

        var admitted = new List<TestIrcClient>();
        var refusals = new Dictionary<string, int>();
        try
        {
            // More clients than descriptors: each either registers, or reads one ERROR line and is closed.
            for (int i = 0; i < OpenFileLimit + 50; i++)
            {
                TestIrcClient client;
                try
                {
                    client = await TestIrcClient.ConnectAsync(server.Port);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    string key = "connect failed: " + ex.Message;
                    refusals[key] = refusals.GetValueOrDefault(key) + 1;
                    continue;
                }
                try
                {
                    await client.SendLineAsync($"NICK fd{i}\r\nUSER fd{i} 0 * :fd");
                }
                catch (SocketException)
                {
                    // refused already: its ERROR line is waiting to be read
                }
                string first;
                try
                {
                    first = await client.ExpectAsync(l => l.StartsWith("ERROR", StringComparison.Ordinal) || TestIrcClient.CommandOf(l) == "001",
                        "001 or ERROR", TimeSpan.FromSeconds(20));
                }
                catch (IOException)
                {
                    // A client whose NICK/USER reached the server after it read and dropped the refused client's input
                    // draws a RST, which can discard the ERROR line before it is read (ConnectionRefusal's REVIEW).
                    first = ClosedWithoutALine;
                }
                if (TestIrcClient.CommandOf(first) == "001")
                {
                    admitted.Add(client);
                    continue;
                }
                refusals[first] = refusals.GetValueOrDefault(first) + 1;
                await client.DisposeAsync();
            }
            string summary = string.Join(", ", refusals.Select(r => $"{r.Value} × '{r.Key}'"));
            output.WriteLine($"{mode}: limit {OpenFileLimit}, {admitted.Count} registered; refused: {summary}");
            if (refusals.Keys.Any(k => k.StartsWith("connect failed", StringComparison.Ordinal)))
                output.WriteLine(string.Join('\n', server.Output.TakeLast(40)));
            Assert.NotEmpty(admitted);
            Assert.NotEmpty(refusals);
            Assert.All(refusals.Keys, reason => Assert.Contains(reason, new[]
            {
                "ERROR :Server out of file descriptors; try again later",
                ClosedWithoutALine,
            }));
            int told = refusals.GetValueOrDefault("ERROR :Server out of file descriptors; try again later");
            Assert.True(told > refusals.GetValueOrDefault(ClosedWithoutALine), $"most refused clients should hear the reason: {summary}");
            // Where the shortage struck shows in the log: the accept itself (EMFILE), the runtime's thread start
            // (threads), or the listener's backstop that keeps the runtime's last descriptors from clients.
            Assert.Contains(server.Output, l => l.Contains("Accept failed (TooManyOpenSockets", StringComparison.Ordinal)
                                                || l.Contains("could not start its threads; refused with 'Server out of file descriptors", StringComparison.Ordinal)
                                                || l.Contains("Out of file descriptors with", StringComparison.Ordinal));

            // The clients it has lose nothing.
            await admitted[0].JoinAsync("#fd");
            await admitted[^1].JoinAsync("#fd");
            await admitted[0].SendLineAsync("PRIVMSG #fd :still served");
            Assert.EndsWith(":still served", await admitted[^1].ExpectCommandAsync("PRIVMSG"));

            // Freed descriptors admit new clients again, once enough are free for the runtime's spares too.
            for (int i = 0; i < 20; i++)
            {
                await admitted[^1].SendLineAsync("QUIT");
                await admitted[^1].WaitForCloseAsync();
                await admitted[^1].DisposeAsync();
                admitted.RemoveAt(admitted.Count - 1);
            }
            await RegisterOnceAdmittedAsync(server.Port, "again");

            // The metrics endpoint, which shares the descriptor budget, answers again too.
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                Assert.Contains("chatload_server_chatload_connections_refused", await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics"));

            server.SendSigterm();
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(3 + 5)));
            Assert.DoesNotContain(server.Output, l => l.Contains("Unhandled", StringComparison.Ordinal) || l.Contains("Out of memory", StringComparison.Ordinal));
        }
        finally
        {
            foreach (TestIrcClient client in admitted)
                await client.DisposeAsync();
        }
    }

    // The listener looks every 200 ms whether descriptors are free again: a client may be refused for a moment longer.
    private static async Task RegisterOnceAdmittedAsync(int port, string nick)
    {
        for (int attempt = 0; ; attempt++)
        {
            await using TestIrcClient client = await TestIrcClient.ConnectAsync(port);
            try
            {
                await client.SendLineAsync($"NICK {nick}\r\nUSER {nick} 0 * :{nick}");
                string first = await client.ExpectAsync(l => l.StartsWith("ERROR", StringComparison.Ordinal) || TestIrcClient.CommandOf(l) == "001", "001 or ERROR");
                if (TestIrcClient.CommandOf(first) == "001")
                    return;
            }
            catch (Exception ex) when (ex is SocketException or IOException) { }
            Assert.True(attempt < 20, "no client was admitted again after descriptors were freed");
            await Task.Delay(250);
        }
    }
}
