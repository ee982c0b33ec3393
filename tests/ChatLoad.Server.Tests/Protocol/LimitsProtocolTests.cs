using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>
/// The chat core's limits over real sockets, both models, default settings unless a test says otherwise: no cheap
/// amplification, clean names and text, one password guess per connection. Every refusal is a numeric or an ERROR.
/// </summary>
public sealed class LimitsProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_target_named_245_times_gets_one_copy(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient sender = await server.ConnectAndRegisterAsync("amp");
        await using TestIrcClient victim = await server.ConnectAndRegisterAsync("v");
        await sender.SendLineAsync("PRIVMSG " + string.Join(',', Enumerable.Repeat("v", 245)) + " :one copy");
        await sender.SendLineAsync("PRIVMSG v :marker");
        Assert.EndsWith(":one copy", await victim.ExpectCommandAsync("PRIVMSG"));
        Assert.EndsWith(":marker", await victim.ExpectCommandAsync("PRIVMSG"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Nick_changes_and_join_part_churn_are_rate_limited_even_with_flood_control_off(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["FloodControl"] = "false" });
        await using TestIrcClient churner = await server.ConnectAndRegisterAsync("churn");
        await using TestIrcClient watcher = await server.ConnectAndRegisterAsync("watcher");
        await churner.JoinAsync("#room");
        await watcher.JoinAsync("#room");

        var nicks = new StringBuilder();
        for (int i = 0; i < 100; i++)
            nicks.Append("NICK c").Append(i).Append("\r\n");
        await churner.SendRawAsync(Encoding.ASCII.GetBytes(nicks.ToString()));
        await churner.SendLineAsync("PING :nicks done");
        await churner.ExpectAsync(l => l.EndsWith(":nicks done", StringComparison.Ordinal), "PONG");
        Assert.Equal(95, churner.Received.Count(l => TestIrcClient.CommandOf(l) == "438"));
        await watcher.SendLineAsync("PING :seen");
        await watcher.ExpectAsync(l => l.EndsWith(":seen", StringComparison.Ordinal), "PONG");
        Assert.Equal(5, watcher.Received.Count(l => TestIrcClient.CommandOf(l) == "NICK"));

        var churn = new StringBuilder();
        for (int i = 0; i < 50; i++)
            churn.Append("PART #room\r\nJOIN #room\r\n");
        await churner.SendRawAsync(Encoding.ASCII.GetBytes(churn.ToString()));
        await churner.SendLineAsync("PING :churn done");
        await churner.ExpectAsync(l => l.EndsWith(":churn done", StringComparison.Ordinal), "PONG");
        // The budget is 30 and the first JOIN took one: 29 of the 100 go through (members see them), the rest get 263
        // (or 442, for a PART after a refused JOIN left the churner outside the channel).
        await watcher.SendLineAsync("PING :churn seen");
        await watcher.ExpectAsync(l => l.EndsWith(":churn seen", StringComparison.Ordinal), "PONG");
        Assert.Equal(29, watcher.Received.Count(l => l.StartsWith(":c4!", StringComparison.Ordinal) && TestIrcClient.CommandOf(l) is "PART" or "JOIN"));
        Assert.Contains(churner.Received, l => l.Contains(" 263 c4 JOIN :Please wait a while and try again", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Channel_names_with_escape_characters_get_403(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("esc");
        await client.SendRawAsync("JOIN #red\u001b[31m\r\n"u8.ToArray());
        Assert.Contains(" 403 esc ", await client.ExpectCommandAsync("403"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_wrong_password_gets_464_and_the_connection_is_closed(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["Password"] = "s3cret" });
        await using TestIrcClient guesser = await server.ConnectAsync();
        await guesser.SendRawAsync("PASS guess1\r\nPASS guess2\r\nPASS s3cret\r\nNICK g\r\nUSER g 0 * :g\r\n"u8.ToArray());
        Assert.EndsWith(" 464 * :Password incorrect", await guesser.ExpectCommandAsync("464"));
        Assert.Equal("ERROR :Bad password", await guesser.ExpectCommandAsync("ERROR"));
        Assert.True(await guesser.WaitForCloseAsync());
        Assert.Single(guesser.Received, l => TestIrcClient.CommandOf(l) == "464");
        Assert.DoesNotContain(guesser.Received, l => TestIrcClient.CommandOf(l) == "001");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task The_quitters_own_error_line_is_clean_and_within_512_bytes(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient quitter = await server.ConnectAndRegisterAsync("quitter");
        byte[] quit = [.. "QUIT :bye"u8, 0, .. Encoding.UTF8.GetBytes(new string('é', 240)), (byte)'\r', (byte)'\n'];
        await quitter.SendRawAsync(quit);
        string error = await quitter.ExpectCommandAsync("ERROR");
        Assert.StartsWith("ERROR :Closing link: quitter[127.0.0.1] (Quit: bye ", error);
        Assert.DoesNotContain('\0', error);
        Assert.InRange(Encoding.UTF8.GetByteCount(error), 1, 510);
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Isupport_advertises_targmax_maxtargets_and_utf8only(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAndRegisterAsync("tokens");
        string isupport = string.Join(' ', client.Received.Where(l => TestIrcClient.CommandOf(l) == "005"));
        foreach (string token in new[] { "MAXTARGETS=4", "TARGMAX=KICK:4,NAMES:4,NOTICE:4,PRIVMSG:4", "UTF8ONLY", "CHANLIMIT=#:100" })
            Assert.Contains($" {token} ", isupport);
    }
}
