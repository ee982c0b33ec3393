using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.RealClient;

/// <summary>irssi (in tmux), as a new user would try it: see <see cref="RealClientScenario"/>.</summary>
public sealed class IrssiTests(ITestOutputHelper output)
{
    [RealClientTheory("irssi")]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public Task Irssi_creates_a_channel_talks_sets_the_topic_kicks_and_runs_whois_and_list(ConnectionMode mode) =>
        RealClientScenario.RunAsync(new Irssi(), mode, output);

    /// <summary>
    /// irssi over the TLS port, against the self-signed certificate the server generates: it connects with
    /// <c>/connect -tls -notls_verify</c> (the plain port would fail the handshake, so registering proves TLS), joins,
    /// and talks both ways with a plain-text test client.
    /// </summary>
    [RealClientTheory("irssi")]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Irssi_connects_over_TLS_and_talks_with_a_plain_client(ConnectionMode mode)
    {
        const string nick = "tlsuser";
        TimeSpan patience = TimeSpan.FromSeconds(30);
        await using TestServer server = await TestServer.StartAsync(mode, enableTls: true);
        await using TestIrcClient tester = await server.ConnectAndRegisterAsync("tester");
        await tester.SendLineAsync("MONITOR + " + nick);
        await tester.ExpectCommandAsync("731");
        await tester.JoinAsync("#tls");

        string home = Directory.CreateTempSubdirectory("chatload-irssi-tls-").FullName;
        using var tmux = new TmuxSession();
        try
        {
            tmux.Start($"irssi --home={home} -n {nick}");
            Assert.True(await tmux.WaitForScreenAsync("Irssi", patience), "irssi did not start:\n" + tmux.Screen());
            tmux.TypeLine($"/connect -tls -notls_verify 127.0.0.1 {server.TlsPort}");
            await tester.ExpectCommandAsync("730", patience); // registered, through the TLS port
            tmux.TypeLine("/join #tls");
            await tester.ExpectAsync(l => l.StartsWith($":{nick}!") && l.Contains(" JOIN "), "irssi's JOIN", patience);

            tmux.TypeLine("hello over tls");
            Assert.EndsWith("PRIVMSG #tls :hello over tls", await tester.ExpectCommandAsync("PRIVMSG", patience));
            await tester.SendLineAsync("PRIVMSG #tls :hello irssi, in plain text");
            Assert.True(await tmux.WaitForScreenAsync("hello irssi, in plain text", patience), "irssi never showed the reply:\n" + tmux.Screen());
            output.WriteLine($"{mode}: irssi over TLS, screen:\n{string.Join('\n', tmux.Screen().Split('\n').Where(l => l.Trim().Length > 0).TakeLast(8))}");

            tmux.TypeLine("/quit bye");
            await tester.ExpectCommandAsync("731", patience);
        }
        finally
        {
            tmux.Dispose();
            try { Directory.Delete(home, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class Irssi : IRealClient
    {
        public string Name => "irssi";
        public string StartCommand(string home, int port, string nick) => $"irssi --home={home} -n {nick} -c 127.0.0.1 -p {port}";
        public string ShowServerWindow => "/window 1";
        public string ListCommand => "/list -YES";
        public string WhoisShown(string nick, string user, string host, string realName) => $"ircname  : {realName}";
    }
}
