using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Protocol;

/// <summary>WHOIS, WHOWAS, LUSERS, AWAY, USERHOST, ISON and LIST over real loopback sockets, for both models.</summary>
public sealed class UserQueryProtocolTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Whois_whowas_away_userhost_and_ison_answer(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        string s = server.Options.ServerName;
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await bob.JoinAsync("#a");
        await bob.SendLineAsync("AWAY :afk");
        await bob.ExpectCommandAsync("306");

        await alice.SendLineAsync("WHOIS bob");
        Assert.Equal($":{s} 311 alice bob bob 127.0.0.1 * :Test bob", await alice.ExpectCommandAsync("311"));
        Assert.Equal($":{s} 319 alice bob :@#a", await alice.ExpectCommandAsync("319"));
        Assert.Equal($":{s} 301 alice bob afk", await alice.ExpectCommandAsync("301"));
        Assert.Matches(@" 317 alice bob \d+ \d+ :seconds idle, signon time$", await alice.ExpectCommandAsync("317"));
        await alice.ExpectCommandAsync("318");

        await alice.SendLineAsync("PRIVMSG bob :are you there?");
        Assert.Equal($":{s} 301 alice bob afk", await alice.ExpectCommandAsync("301"));
        await alice.SendLineAsync("USERHOST bob alice");
        Assert.Equal($":{s} 302 alice :bob=-bob@127.0.0.1 alice=+alice@127.0.0.1", await alice.ExpectCommandAsync("302"));
        await alice.SendLineAsync("ISON bob carol");
        Assert.Equal($":{s} 303 alice :bob", await alice.ExpectCommandAsync("303"));

        await bob.SendLineAsync("QUIT :bye");
        await alice.SendLineAsync("WHOIS bob");                 // an ordered pair: once 401 comes, bob is gone
        await alice.ExpectAsync(l => TestIrcClient.CommandOf(l) is "401" || l.Contains(" 311 alice bob "), "401 or 311");
        for (int attempt = 0; attempt < 50; attempt++)
        {
            await alice.SendLineAsync("WHOWAS bob");
            string reply = await alice.ExpectAsync(l => TestIrcClient.CommandOf(l) is "314" or "406", "314 or 406");
            if (TestIrcClient.CommandOf(reply) == "314")
            {
                Assert.Equal($":{s} 314 alice bob bob 127.0.0.1 * :Test bob", reply);
                return;
            }
            await Task.Delay(100); // the QUIT is handled on bob's connection, concurrently with alice's WHOWAS
        }
        Assert.Fail("WHOWAS never remembered bob");
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Lusers_and_list_count_what_is_there(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode);
        string s = server.Options.ServerName;
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#one");
        await bob.JoinAsync("#one");
        await bob.JoinAsync("#two");
        await alice.SendLineAsync("TOPIC #one :the first");
        await alice.ExpectCommandAsync("TOPIC");

        await alice.SendLineAsync("LUSERS");
        Assert.Equal($":{s} 251 alice :There are 2 users and 0 invisible on 1 servers", await alice.ExpectCommandAsync("251"));
        Assert.Equal($":{s} 254 alice 2 :channels formed", await alice.ExpectCommandAsync("254"));
        Assert.Equal($":{s} 266 alice 2 2 :Current global users 2, max 2", await alice.ExpectCommandAsync("266"));

        await alice.SendLineAsync("LIST >1");
        await alice.ExpectCommandAsync("321");
        Assert.Equal($":{s} 322 alice #one 2 :the first", await alice.ExpectCommandAsync("322"));
        Assert.Equal($":{s} 323 alice :End of /LIST", await alice.ExpectCommandAsync("323"));
        await alice.SendLineAsync("LIST #t*");
        Assert.Equal($":{s} 322 alice #two 1 :", await alice.ExpectCommandAsync("322"));
    }

    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Long_replies_are_split_into_lines_of_at_most_512_bytes(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, new() { ["MaxChannelsPerClient"] = "30" });
        await using TestIrcClient member = await server.ConnectAndRegisterAsync("member");
        var channels = Enumerable.Range(0, 30).Select(i => $"#{new string('c', 40)}{i:00}").ToList();
        foreach (string channel in channels)
            await member.JoinAsync(channel);

        await member.SendLineAsync("WHOIS member");
        await member.ExpectCommandAsync("318");
        List<string> whoisChannels = member.Received.Where(l => TestIrcClient.CommandOf(l) == "319").ToList();
        Assert.True(whoisChannels.Count >= 3);
        Assert.All(member.Received, l => Assert.InRange(Encoding.UTF8.GetByteCount(l) + 2, 1, 512));
        Assert.Equal(channels.Select(c => "@" + c), whoisChannels.SelectMany(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ')));
    }
}
