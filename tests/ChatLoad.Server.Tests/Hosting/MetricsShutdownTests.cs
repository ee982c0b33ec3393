using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// HTTP clients on the metrics port, hostile ones included, never delay SIGTERM past --shutdown-timeout and never
/// use the descriptors IRC clients need, in both models, as a separate process (signals, exit codes, open-file limit).
/// </summary>
[Collection(ServerProcessCollection.Name)]
public sealed class MetricsShutdownTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Half_sent_requests_and_held_connections_do_not_delay_sigterm(ConnectionMode mode)
    {
        int metricsPort = FreePort.Next();
        await using ServerProcess server = await ServerProcess.StartAsync(mode, "--metrics-port", metricsPort.ToString(), "--shutdown-timeout", "2s");
        await server.WaitForOutputAsync("Metrics endpoint");
        await using TestIrcClient chatter = await TestIrcClient.ConnectAsync(server.Port);
        await chatter.RegisterAsync("chatter");

        // More than the cap (8): some hold a slot with a half-sent request, the rest get 503.
        var held = new List<Socket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                Socket socket = await RawHttp.ConnectAsync(IPAddress.Loopback, metricsPort);
                held.Add(socket);
                await socket.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), SocketFlags.None);
            }
            await Task.Delay(500);

            var clock = Stopwatch.StartNew();
            server.SendSigterm();
            Assert.Equal("ERROR :Server shutting down", await chatter.ExpectCommandAsync("ERROR"));
            int? exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(2 + 4)); // the timeout and a wide margin
            Console.WriteLine($"{mode}: exit {exit} {clock.ElapsedMilliseconds} ms after SIGTERM with 20 HTTP connections held");
            Assert.Equal(0, exit);
        }
        finally
        {
            foreach (Socket socket in held)
                socket.Dispose();
        }
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Six_hundred_metrics_connections_under_a_512_descriptor_limit_cost_the_irc_clients_nothing(ConnectionMode mode)
    {
        // The probe: open-file limit 512, 600 connections held to the metrics port. The server used to abort
        // (async) or refuse IRC clients (threads).
        int metricsPort = FreePort.Next();
        await using ServerProcess server = await ServerProcess.StartAsync(mode, openFileLimit: 512, "--metrics-port", metricsPort.ToString(), "--shutdown-timeout", "2s");
        await server.WaitForOutputAsync("Metrics endpoint");

        var http = new List<Socket>();
        var irc = new List<TestIrcClient>();
        try
        {
            for (int i = 0; i < 600; i++)
            {
                try
                {
                    http.Add(await RawHttp.ConnectAsync(IPAddress.Loopback, metricsPort));
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    // The endpoint's backlog is small; a connect that is not taken in time is as good as refused.
                }
            }

            // Every IRC client still gets in and works.
            for (int i = 0; i < 100; i++)
            {
                TestIrcClient client = await TestIrcClient.ConnectAsync(server.Port);
                irc.Add(client);
                await client.RegisterAsync("fd" + i);
            }
            await irc[0].JoinAsync("#fd");
            await irc[99].JoinAsync("#fd");
            await irc[0].SendLineAsync("PRIVMSG #fd :still here");
            Assert.EndsWith(":still here", await irc[99].ExpectCommandAsync("PRIVMSG"));

            Assert.True(http.Count >= 8, $"only {http.Count} HTTP connects");
            long descriptors = Directory.EnumerateFileSystemEntries($"/proc/{server.Pid}/fd").LongCount();
            Console.WriteLine($"{mode}: {http.Count} HTTP connects, 100 IRC clients registered, server holds {descriptors} descriptors (limit 512)");

            server.SendSigterm();
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(2 + 4)));
            Assert.DoesNotContain(server.Output, l => l.Contains("Server full", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal));
        }
        finally
        {
            foreach (Socket socket in http)
                socket.Dispose();
            foreach (TestIrcClient client in irc)
                await client.DisposeAsync();
        }
    }
}
