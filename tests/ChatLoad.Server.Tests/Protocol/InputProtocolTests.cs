using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>Bad input over real loopback sockets, for both connection models: errors, never a dropped connection.</summary>
public sealed class InputProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task An_over_long_line_gets_417_and_the_connection_stays_up(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("longliner");
        await client.SendLineAsync("PRIVMSG longliner :" + new string('x', 600));
        Assert.EndsWith(" 417 longliner :Input line was too long", await client.ExpectCommandAsync("417"));
        await client.SendLineAsync("PING :after");
        Assert.EndsWith(":after", await client.ExpectCommandAsync("PONG"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_mebibyte_without_newline_gets_one_417_and_the_connection_stays_up(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("flooder");
        byte[] junk = new byte[1024 * 1024];
        Array.Fill(junk, (byte)'a');
        await client.SendRawAsync(junk);
        await client.SendRawAsync("\r\nPING :survived\r\n"u8.ToArray());
        await client.ExpectCommandAsync("417");
        Assert.EndsWith(":survived", await client.ExpectCommandAsync("PONG"));
        Assert.Single(client.Received, l => TestIrcClient.CommandOf(l) == "417");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Invalid_utf8_is_refused_with_400_by_default_and_the_connection_stays_up(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#bytes");
        await bob.JoinAsync("#bytes");

        await alice.SendRawAsync((byte[])[.. "PRIVMSG #bytes :bad "u8, 0xFF, 0xC3, 0x28, (byte)' ', (byte)'o', (byte)'k', (byte)'\r', (byte)'\n']);
        await alice.SendRawAsync((byte[])[0xFE, 0xFF, (byte)' ', (byte)'x', (byte)'\r', (byte)'\n']); // a command that is not UTF-8
        Assert.EndsWith(" FAIL PRIVMSG INVALID_UTF8 :Message rejected for containing invalid UTF-8", await alice.ExpectCommandAsync("FAIL"));
        Assert.EndsWith(" FAIL * INVALID_UTF8 :Message rejected for containing invalid UTF-8", await alice.ExpectCommandAsync("FAIL"));

        await bob.SendLineAsync("PRIVMSG #bytes :still chatting");
        Assert.EndsWith(":still chatting", await alice.ExpectCommandAsync("PRIVMSG"));
        await alice.SendLineAsync("PRIVMSG #bytes :and alice too");
        Assert.EndsWith(":and alice too", await bob.ExpectCommandAsync("PRIVMSG")); // nothing invalid reached bob before it
        Assert.DoesNotContain(bob.Received, l => l.Contains("bad", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task With_enforce_utf8_off_invalid_utf8_is_relayed_and_does_not_break_the_connection(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["EnforceUtf8"] = "false" });
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#bytes");
        await bob.JoinAsync("#bytes");

        byte[] badText = [.. "PRIVMSG #bytes :bad "u8, 0xFF, 0xC3, 0x28, (byte)' ', (byte)'o', (byte)'k', (byte)'\r', (byte)'\n'];
        await alice.SendRawAsync(badText);
        byte[] badCommand = [0xFE, 0xFF, (byte)' ', (byte)'x', (byte)'\r', (byte)'\n']; // a command that is not UTF-8
        await alice.SendRawAsync(badCommand);
        string relayed = await bob.ExpectCommandAsync("PRIVMSG");
        Assert.StartsWith(":alice!alice@127.0.0.1 PRIVMSG #bytes :bad ", relayed);
        Assert.EndsWith(" ok", relayed);
        await alice.ExpectCommandAsync("421");

        await alice.SendLineAsync("PING :fine");
        await alice.ExpectCommandAsync("PONG");
        await bob.SendLineAsync("PRIVMSG #bytes :still chatting");
        Assert.EndsWith(":still chatting", await alice.ExpectCommandAsync("PRIVMSG"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Bare_lf_and_empty_lines_are_accepted(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAsync();
        await client.SendRawAsync(Encoding.ASCII.GetBytes("\r\n\nNICK lf\nUSER lf 0 * :lf\n"));
        await client.ExpectCommandAsync("001");
    }
}
