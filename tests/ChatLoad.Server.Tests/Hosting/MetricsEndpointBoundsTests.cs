using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// The metrics endpoint cannot cost the chat anything: its own bind address, a connection cap (503 past it), a
/// request timeout, and nothing it holds delays shutdown.
/// </summary>
public sealed class MetricsEndpointBoundsTests
{
    [Fact]
    public async Task It_binds_its_own_address_not_the_irc_one()
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, new() { ["Bind"] = "127.0.0.2" }, enableMetrics: true);

        Assert.Contains("chatload_server_process_rss_bytes", await server.ScrapeMetricsAsync()); // on 127.0.0.1
        await Assert.ThrowsAnyAsync<SocketException>(() => RawHttp.ConnectAsync(IPAddress.Parse("127.0.0.2"), server.MetricsPort!.Value));
        await using TestIrcClient client = await TestIrcClient.ConnectAsync(IPAddress.Parse("127.0.0.2"), server.Port);
        await client.RegisterAsync("elsewhere");
    }

    [Fact]
    public async Task Past_the_connection_cap_a_client_gets_503_and_scrapes_work_again_once_slots_free()
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async,
            new() { ["MetricsMaxConnections"] = "2", ["MetricsRequestTimeout"] = "00:00:01" }, enableMetrics: true);
        int port = server.MetricsPort!.Value;
        using Socket idle1 = await RawHttp.ConnectAsync(IPAddress.Loopback, port);
        using Socket idle2 = await RawHttp.ConnectAsync(IPAddress.Loopback, port);
        await WaitUntilAsync(() => server.MetricsConnections == 2);

        string refused = await RawHttp.ExchangeAsync(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", refused);

        // The idle ones hold their slot only until the request timeout.
        Assert.True(await RawHttp.ClosedByServerAsync(idle1, TimeSpan.FromSeconds(15)), "an idle connection outlived the request timeout");
        Assert.True(await RawHttp.ClosedByServerAsync(idle2, TimeSpan.FromSeconds(15)));
        string ok = await RawHttp.ExchangeAsync(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", ok);
        Assert.Contains("Connection: close\r\n", ok);
        Assert.Contains("chatload_server_process_rss_bytes", ok);
    }

    [Fact]
    public async Task A_half_sent_request_is_dropped_at_the_request_timeout()
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Threads,
            new() { ["MetricsRequestTimeout"] = "00:00:01" }, enableMetrics: true);
        using Socket half = await RawHttp.ConnectAsync(IPAddress.Loopback, server.MetricsPort!.Value);
        await half.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n"u8.ToArray(), SocketFlags.None);
        var clock = Stopwatch.StartNew();
        Assert.True(await RawHttp.ClosedByServerAsync(half, TimeSpan.FromSeconds(15)), "a half-sent request was kept open");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(500), $"closed after {clock.Elapsed}, before the timeout");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "404 Not Found")]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "405 Method Not Allowed")]
    [InlineData("garbage\r\n\r\n", "400 Bad Request")]
    [InlineData("GET /metrics?x=1 HTTP/1.0\n\n", "200 OK")]
    public async Task Other_requests_get_a_plain_status(string request, string status)
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, enableMetrics: true);
        string response = await RawHttp.ExchangeAsync(server.MetricsPort!.Value, request);
        Assert.StartsWith($"HTTP/1.1 {status}\r\n", response);
    }

    [Fact]
    public async Task A_request_head_over_8_KiB_gets_431()
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, enableMetrics: true);
        string response = await RawHttp.ExchangeAsync(server.MetricsPort!.Value, "GET /metrics HTTP/1.1\r\nX: " + new string('a', 9000) + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431 ", response);
    }

    [Fact]
    public async Task Head_gets_the_headers_without_the_body()
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, enableMetrics: true);
        string response = await RawHttp.ExchangeAsync(server.MetricsPort!.Value, "HEAD /metrics HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.EndsWith("\r\n\r\n", response);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
            await Task.Delay(20);
        Assert.True(condition(), "condition not reached in 10 s");
    }
}

/// <summary>Raw HTTP over a socket, for requests HttpClient would not send (half-sent, over-long, garbage).</summary>
internal static class RawHttp
{
    public static async Task<Socket> ConnectAsync(IPAddress address, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads until the server closes (10 s at most).</summary>
    public static async Task<string> ExchangeAsync(int port, string request)
    {
        using Socket socket = await ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        var response = new MemoryStream();
        byte[] buffer = new byte[16384];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
                response.Write(buffer, 0, n);
        }
        catch (SocketException) { } // a reset after the response still leaves the response
        return Encoding.UTF8.GetString(response.ToArray());
    }

    /// <summary>True when the server closed (FIN or reset) within <paramref name="within"/>.</summary>
    public static async Task<bool> ClosedByServerAsync(Socket socket, TimeSpan within)
    {
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0) { }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
