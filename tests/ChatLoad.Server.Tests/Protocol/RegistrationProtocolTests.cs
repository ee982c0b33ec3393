using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>Registration over real loopback sockets, for both connection models.</summary>
public sealed class RegistrationProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Nick_and_user_get_001_to_005_lusers_and_422(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAsync();
        await client.SendLineAsync("NICK alice");
        await client.SendLineAsync("USER alice 0 * :Alice");

        var numerics = new List<string>();
        string line;
        do
        {
            line = await client.ReadLineAsync() ?? throw new IOException("closed during registration");
            numerics.Add(TestIrcClient.CommandOf(line));
        }
        while (TestIrcClient.CommandOf(line) != "422");

        Assert.Equal(["001", "002", "003", "004", "005", "005", "251", "252", "253", "254", "255", "265", "266", "422"], numerics);
        Assert.StartsWith($":{server.Options.ServerName} 001 alice :Welcome", client.Received[0]);
        Assert.EndsWith(" Biow Ibeiklmnostv Ibeklov", client.Received[3]); // 004: user modes, channel modes, those with a parameter
        string isupport = client.Received[4] + client.Received[5];
        Assert.Contains(" CASEMAPPING=rfc1459 ", isupport);
        Assert.Contains(" CHANTYPES=# ", isupport);
        Assert.Contains($" NICKLEN={server.Options.NickLength} ", isupport);
        Assert.Contains($" CHANNELLEN={server.Options.ChannelLength} ", isupport);
        Assert.Contains(" PREFIX=(ov)@+ ", isupport);
        Assert.All(client.Received.Take(14), l => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(l) + 2, 1, 512));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Registration_errors_431_432_461_462(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAsync();

        await client.SendLineAsync("NICK");
        Assert.Equal("431", TestIrcClient.CommandOf(await ReadAsync(client)));
        await client.SendLineAsync("NICK 1nvalid");
        Assert.EndsWith(" 432 * 1nvalid :Erroneous nickname", await ReadAsync(client));
        await client.SendLineAsync("USER short");
        Assert.EndsWith(" 461 * USER :Not enough parameters", await ReadAsync(client));

        await client.RegisterAsync("valid");
        await client.SendLineAsync("USER again 0 * :x");
        Assert.EndsWith(" 462 valid :You may not reregister", await client.ExpectCommandAsync("462"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_wrong_password_gets_464_and_the_connection_closes(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["Password"] = "letmein" });
        await using TestIrcClient wrong = await server.ConnectAsync();
        // One write: the server closes at the wrong PASS, so a NICK sent after it may meet a reset (broken pipe).
        await wrong.SendRawAsync("PASS guess\r\nNICK intruder\r\nUSER intruder 0 * :x\r\n"u8.ToArray());
        await wrong.ExpectCommandAsync("464");
        Assert.StartsWith("ERROR :", await wrong.ExpectCommandAsync("ERROR"));
        Assert.True(await wrong.WaitForCloseAsync());

        await using TestIrcClient right = await server.ConnectAsync();
        await right.RegisterAsync("member", password: "letmein");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Commands_before_registration_get_451_but_ping_is_answered(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAsync();
        await client.SendLineAsync("JOIN #early");
        Assert.EndsWith(" 451 * :You have not registered", await ReadAsync(client));
        await client.SendLineAsync("PRIVMSG someone :hi");
        Assert.Equal("451", TestIrcClient.CommandOf(await ReadAsync(client)));
        await client.SendLineAsync("PING :early");
        Assert.Equal($":{server.Options.ServerName} PONG {server.Options.ServerName} :early", await ReadAsync(client));
        await client.RegisterAsync("late"); // and registration still works afterwards
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Cap_ls_lists_capabilities_req_acks_and_cap_end_completes_registration(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient client = await server.ConnectAsync();
        await client.SendLineAsync("CAP LS 302");
        await client.SendLineAsync("NICK capable");
        await client.SendLineAsync("USER capable 0 * :x");
        string ls = await ReadAsync(client);
        Assert.StartsWith($":{server.Options.ServerName} CAP * LS :", ls);
        Assert.Contains(" multi-prefix ", ls);
        await client.SendLineAsync("CAP REQ :server-time echo-message");
        Assert.EndsWith(" CAP capable ACK :server-time echo-message", await ReadAsync(client));
        await client.SendLineAsync("CAP END");
        await client.ExpectCommandAsync("001");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task A_nick_in_use_in_any_case_gets_433(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient first = await server.ConnectAndRegisterAsync("Nick[1]");
        await using TestIrcClient second = await server.ConnectAsync();
        await second.SendLineAsync("NICK nick{1}");
        Assert.EndsWith(" 433 * nick{1} :Nickname is already in use", await ReadAsync(second));
        await second.RegisterAsync("nick2");
    }

    internal static async Task<string> ReadAsync(TestIrcClient client) =>
        await client.ReadLineAsync() ?? throw new IOException("the server closed the connection");
}
