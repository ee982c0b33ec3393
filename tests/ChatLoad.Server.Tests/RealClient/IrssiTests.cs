using ChatLoad.Server.Hosting;
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

    private sealed class Irssi : IRealClient
    {
        public string Name => "irssi";
        public string StartCommand(string home, int port, string nick) => $"irssi --home={home} -n {nick} -c 127.0.0.1 -p {port}";
        public string ShowServerWindow => "/window 1";
        public string ListCommand => "/list -YES";
        public string WhoisShown(string nick, string user, string host, string realName) => $"ircname  : {realName}";
    }
}
