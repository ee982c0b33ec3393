using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Tls;

/// <summary>The TLS listener in both models: the same protocol as the plain port, a bounded handshake, and a bound on
/// half-finished handshakes that costs nobody else their connection.</summary>
public sealed class TlsProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_TLS_client_registers_chats_with_a_plain_client_and_quits(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, enableTls: true);
        await using TestIrcClient secure = await server.ConnectTlsAsync();
        Assert.NotNull(secure.Tls);
        Assert.True(secure.Tls!.IsEncrypted);
        await secure.RegisterAsync("secure");
        await using TestIrcClient plain = await server.ConnectAndRegisterAsync("plain");

        await secure.JoinAsync("#both");
        await plain.JoinAsync("#both");
        await secure.ExpectAsync(l => l.Contains(" JOIN ") && l.StartsWith(":plain!"), "plain's JOIN");

        await plain.SendLineAsync("PRIVMSG #both :hello over plain text");
        Assert.EndsWith(":hello over plain text", await secure.ExpectCommandAsync("PRIVMSG"));
        string longText = new('x', 400);
        await secure.SendLineAsync("PRIVMSG #both :" + longText);
        Assert.EndsWith(":" + longText, await plain.ExpectCommandAsync("PRIVMSG"));

        // A burst of lines in one TLS record, and a line split across records.
        await secure.SendRawAsync("PING one\r\nPING two\r\nPING th"u8.ToArray());
        await Task.Delay(50);
        await secure.SendRawAsync("ree\r\n"u8.ToArray());
        Assert.EndsWith("one", await secure.ExpectCommandAsync("PONG"));
        Assert.EndsWith("two", await secure.ExpectCommandAsync("PONG"));
        Assert.EndsWith("three", await secure.ExpectCommandAsync("PONG"));

        await secure.SendLineAsync("QUIT :bye");
        await secure.ExpectAsync(l => l.StartsWith("ERROR :"), "the closing ERROR line");
        Assert.True(await secure.WaitForCloseAsync(), "the TLS connection stayed open after QUIT");
        Assert.Contains("QUIT", await plain.ExpectAsync(l => l.Contains(" QUIT "), "secure's QUIT"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Shutdown_tells_a_TLS_client_why(ConnectionMode mode)
    {
        TestServer server = await TestServer.StartAsync(mode, enableTls: true);
        await using TestIrcClient secure = await server.ConnectTlsAsync();
        await secure.RegisterAsync("secure");
        Task stopping = server.StopAsync();
        Assert.Equal("ERROR :Server shutting down", await secure.ExpectAsync(l => l.StartsWith("ERROR"), "the shutdown ERROR"));
        await stopping;
        await server.DisposeAsync();
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Handshakes_stopping_halfway_are_bounded_and_timed_out_and_cost_nobody_else(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["MaxTlsHandshakes"] = "2",
            ["TlsHandshakeTimeout"] = "00:00:01.500",
        }, enableTls: true);
        await using TestIrcClient bystander = await server.ConnectTlsAsync();
        await bystander.RegisterAsync("bystander");

        // Two clients that open the TLS port and stop: one sends nothing, one half a ClientHello.
        using Socket silent = await ConnectRawAsync(server.TlsPort!.Value);
        using Socket half = await ConnectRawAsync(server.TlsPort!.Value);
        await half.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00 }, SocketFlags.None); // record header + start of a ClientHello
        await Task.Delay(200);

        // A third handshake is over the bound: told so in plain text (it has no TLS session) and closed.
        using Socket third = await ConnectRawAsync(server.TlsPort!.Value);
        Assert.Equal("ERROR :Too many TLS handshakes in progress; try again later", await RawSocket.ReadLineAsync(third));

        // The stalled ones are reset at the handshake timeout, which frees their slots.
        Assert.True(await IsClosedWithinAsync(silent, TimeSpan.FromSeconds(10)), "the silent handshake was never timed out");
        Assert.True(await IsClosedWithinAsync(half, TimeSpan.FromSeconds(10)), "the half handshake was never timed out");
        await using TestIrcClient next = await server.ConnectTlsAsync();
        await next.RegisterAsync("next");

        // The registered TLS client and the plain port never noticed.
        await bystander.SendLineAsync("PING still-here");
        Assert.EndsWith("still-here", await bystander.ExpectCommandAsync("PONG"));
        await using TestIrcClient plain = await server.ConnectAndRegisterAsync("plain");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Plain_text_on_the_TLS_port_fails_the_handshake_of_that_client_only(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, enableTls: true);
        using Socket confused = await ConnectRawAsync(server.TlsPort!.Value);
        await confused.SendAsync("NICK plain\r\nUSER u 0 * :u\r\n"u8.ToArray(), SocketFlags.None);
        Assert.True(await IsClosedWithinAsync(confused, TimeSpan.FromSeconds(10)), "a non-TLS client on the TLS port was kept");

        await using TestIrcClient secure = await server.ConnectTlsAsync();
        await secure.RegisterAsync("secure");
    }

    private static Task<Socket> ConnectRawAsync(int port) => RawSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));


    // True once the server closed or reset the socket (a read returns 0 or fails) within the timeout.
    private static async Task<bool> IsClosedWithinAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
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
