using ChatLoad.Server.Hosting;
using Xunit.Abstractions;

namespace ChatLoad.Server.Tests.RealClient;

/// <summary>weechat (Debian's weechat-curses, in tmux), as a new user would try it: see <see cref="RealClientScenario"/>.</summary>
public sealed class WeechatTests(ITestOutputHelper output)
{
    [RealClientTheory("weechat")]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public Task Weechat_creates_a_channel_talks_sets_the_topic_kicks_and_runs_whois_and_list(ConnectionMode mode) =>
        RealClientScenario.RunAsync(new Weechat(), mode, output);

    private sealed class Weechat : IRealClient
    {
        public string Name => "weechat";

        // -d: a private home (no user config); -r: commands run at start, as a user would type them.
        public string StartCommand(string home, int port, string nick) =>
            $"weechat -d {home} -r '/server add chatload 127.0.0.1/{port} -notls -nicks={nick} -username={nick} -realname=Real;/connect chatload'";

        public string ShowServerWindow => "/buffer 1";
        public string ListCommand => "/list";
        public string WhoisShown(string nick, string user, string host, string realName) => $"[{nick}] ({user}@{host}): {realName}";
    }
}
