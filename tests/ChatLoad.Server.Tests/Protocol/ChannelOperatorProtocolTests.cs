using ChatLoad.Server.Chat.Operators;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>Channel operators, modes, KICK, INVITE and IRC operators over real loopback sockets, for both models.</summary>
public sealed class ChannelOperatorProtocolTests
{
    private static readonly string OperHash = OperatorPassword.Hash("operpassword", iterations: 1_000);

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task An_operator_moderates_sets_the_topic_kicks_bans_and_invites(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#ops");
        await bob.SendLineAsync("JOIN #ops");
        Assert.EndsWith(" 353 bob = #ops :@alice bob", await bob.ExpectCommandAsync("353"));

        await alice.SendLineAsync("MODE #ops +m");
        Assert.Equal(":alice!alice@127.0.0.1 MODE #ops +m", await bob.ExpectCommandAsync("MODE"));
        await bob.SendLineAsync("PRIVMSG #ops :can I talk?");
        Assert.EndsWith(" 404 bob #ops :Cannot send to channel", await bob.ExpectCommandAsync("404"));
        await alice.SendLineAsync("MODE #ops +v bob");
        await bob.ExpectCommandAsync("MODE");
        await bob.SendLineAsync("PRIVMSG #ops :now I can");
        Assert.Equal(":bob!bob@127.0.0.1 PRIVMSG #ops :now I can", await alice.ExpectCommandAsync("PRIVMSG"));

        await bob.SendLineAsync("TOPIC #ops :bob's topic");       // +t by default: voice is not enough
        Assert.EndsWith(" 482 bob #ops :You're not channel operator", await bob.ExpectCommandAsync("482"));
        await alice.SendLineAsync("TOPIC #ops :alice's topic");
        Assert.Equal(":alice!alice@127.0.0.1 TOPIC #ops :alice's topic", await bob.ExpectCommandAsync("TOPIC"));

        await alice.SendLineAsync("MODE #ops +b bob!*@*");
        await alice.SendLineAsync("KICK #ops bob :out");
        Assert.Equal(":alice!alice@127.0.0.1 KICK #ops bob :out", await bob.ExpectCommandAsync("KICK"));
        await bob.SendLineAsync("JOIN #ops");
        Assert.EndsWith(" 474 bob #ops :Cannot join channel (+b)", await bob.ExpectCommandAsync("474"));

        await alice.SendLineAsync("INVITE bob #ops");
        Assert.EndsWith(" 341 alice bob #ops", await alice.ExpectCommandAsync("341"));
        Assert.Equal(":alice!alice@127.0.0.1 INVITE bob #ops", await bob.ExpectCommandAsync("INVITE"));
        await bob.JoinAsync("#ops");                              // the invitation passes the ban once

        await alice.SendLineAsync("MODE #ops");
        Assert.EndsWith(" 324 alice #ops +mnt", await alice.ExpectCommandAsync("324"));
        Assert.Matches(@" 329 alice #ops \d+$", await alice.ExpectCommandAsync("329"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Keys_and_limits_are_checked_on_join(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        await using TestIrcClient op = await server.ConnectAndRegisterAsync("op");
        await using TestIrcClient guest = await server.ConnectAndRegisterAsync("guest");
        await using TestIrcClient third = await server.ConnectAndRegisterAsync("third");
        await op.JoinAsync("#locked");
        await op.SendLineAsync("MODE #locked +kl beer 2");
        Assert.Equal(":op!op@127.0.0.1 MODE #locked +kl beer 2", await op.ExpectCommandAsync("MODE"));

        await guest.SendLineAsync("JOIN #locked wine");
        Assert.EndsWith(" 475 guest #locked :Cannot join channel (+k)", await guest.ExpectCommandAsync("475"));
        await guest.SendLineAsync("JOIN #locked beer");
        await guest.ExpectCommandAsync("366");
        await third.SendLineAsync("JOIN #locked beer");
        Assert.EndsWith(" 471 third #locked :Cannot join channel (+l)", await third.ExpectCommandAsync("471"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task An_irc_operator_kills_and_sends_wallops(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new()
        {
            ["Server:Operators:0:Name"] = "operuser",
            ["Server:Operators:0:PasswordHash"] = OperHash,
        });
        await using TestIrcClient oper = await server.ConnectAndRegisterAsync("oper");
        await using TestIrcClient victim = await server.ConnectAndRegisterAsync("victim");
        await using TestIrcClient witness = await server.ConnectAndRegisterAsync("witness");
        await victim.JoinAsync("#scene");
        await witness.JoinAsync("#scene");
        await witness.SendLineAsync("MODE witness +w");
        await witness.ExpectCommandAsync("MODE");

        await victim.SendLineAsync("KILL witness :try");
        Assert.EndsWith(" 481 victim :Permission Denied- You're not an IRC operator", await victim.ExpectCommandAsync("481"));
        await oper.SendLineAsync("OPER operuser wrong");
        await oper.ExpectCommandAsync("464");
        await oper.SendLineAsync("OPER operuser operpassword");
        await oper.ExpectCommandAsync("381");
        Assert.Equal(":oper!oper@127.0.0.1 MODE oper +ow", await oper.ExpectCommandAsync("MODE"));

        await oper.SendLineAsync("WALLOPS :server restart soon");
        Assert.Equal(":oper!oper@127.0.0.1 WALLOPS :server restart soon", await witness.ExpectCommandAsync("WALLOPS"));
        await oper.SendLineAsync("KILL victim :flooding");
        Assert.Equal("ERROR :Killed (oper (flooding))", await victim.ExpectCommandAsync("ERROR"));
        Assert.True(await victim.WaitForCloseAsync());
        Assert.Equal(":victim!victim@127.0.0.1 QUIT :Killed (oper (flooding))", await witness.ExpectCommandAsync("QUIT"));
    }
}
