using System.Diagnostics;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// A scraper that connects while the metrics endpoint is still starting must not take the server down (the
/// HttpListener-based endpoint did: ArgumentNullException inside the managed HttpListener, exit code 134), and the
/// connections it leaves behind must not hold the exit.
/// </summary>
/// <remarks>
/// This test was skipped while the endpoint was prometheus-net's KestrelMetricServer: the server survived the
/// hammering but then took 15 s and more to exit after SIGTERM. The cause (found with dotnet-stack): the WebHost
/// inside KestrelMetricServer registers its own SIGTERM handler (WebHostLifetime.HandlePosixSignal) that blocks
/// until its graceful stop ends, and that stop waits for open HTTP requests — so the hammer's unfinished
/// connections held SIGTERM before our staged shutdown even began. The endpoint is now our own
/// (Metrics/MetricsHttpListener.cs), which closes its connections at once on stop.
/// </remarks>
[Collection(ServerProcessCollection.Name)]
public sealed class MetricsStartupRaceTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Scrapes_hammering_the_port_during_start_up_leave_the_server_running(ConnectionMode mode)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int metricsPort = FreePort.Next();
            using var stopHammering = new CancellationTokenSource();
            Task<int> hammer = HammerAsync(metricsPort, stopHammering.Token);

            await using ServerProcess server = await ServerProcess.StartAsync(mode, "--metrics-port", metricsPort.ToString(), "--shutdown-timeout", "2s");
            await Task.Delay(TimeSpan.FromSeconds(1));
            stopHammering.Cancel();
            int connects = await hammer;

            Assert.True(connects > 0, "the scraper never reached the metrics port");
            var clock = Stopwatch.StartNew();
            server.SendSigterm();
            // ShutdownTimeout (2 s) plus the process's own exit: a wide margin, not a benchmark.
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(8)));
            Console.WriteLine($"{mode} attempt {attempt}: {connects} connects during start-up; exit {clock.ElapsedMilliseconds} ms after SIGTERM");
        }
    }

    // Connects (and disconnects) as fast as it can, bounded by the token; returns how many connects succeeded.
    private static async Task<int> HammerAsync(int port, CancellationToken stop)
    {
        int connects = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!stop.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync("127.0.0.1", port, stop);
                await socket.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, stop);
                connects++;
            }
            catch (SocketException)
            {
                await Task.Delay(1, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return connects;
    }
}
