using ChatLoad.Server.Chat.Operators;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>WHOIS, WHOWAS, LUSERS, AWAY, USERHOST, ISON, OPER/KILL/WALLOPS and user modes on the core.</summary>
public class UserCommandTests
{
    private const string S = ChatHarness.ServerName;
    private static readonly string OperHash = OperatorPassword.Hash("operpassword", iterations: 1_000);

    private static ChatHarness WithOperator() =>
        new(o => o.Operators = [new OperatorEntry { Name = "operuser", PasswordHash = OperHash }]);

    [Fact]
    public void Whois_lists_user_channels_with_prefixes_server_away_idle_and_end()
    {
        using var harness = new ChatHarness();
        FakeClient target = harness.Register("target");
        target.Send("JOIN #one,#two");
        target.Send("AWAY :lunch");
        target.Take();
        FakeClient asker = harness.Register("asker");
        harness.Time.Advance(TimeSpan.FromSeconds(42));
        asker.Send("WHOIS target");
        List<string> lines = asker.Take();
        Assert.Equal(
            [$":{S} 311 asker target target 127.0.0.1 * :Real target",
             $":{S} 319 asker target :@#one @#two",
             $":{S} 312 asker target {S} :ChatLoad IRC server",
             $":{S} 301 asker target lunch",
             $":{S} 317 asker target 42 1767225600 :seconds idle, signon time",
             $":{S} 318 asker target :End of /WHOIS list"],
            lines);
        asker.Send("WHOIS nobody");
        Assert.Equal([$":{S} 401 asker nobody :No such nick/channel", $":{S} 318 asker nobody :End of /WHOIS list"], asker.Take());
        asker.Send($"WHOIS {S} target");
        Assert.Equal($":{S} 311 asker target target 127.0.0.1 * :Real target", asker.Take()[0]);
    }

    [Fact]
    public void Whois_channel_lists_split_within_512_bytes()
    {
        using var harness = new ChatHarness(o => { o.ChannelLength = 50; o.MaxChannelsPerClient = 40; o.JoinPartBurst = 0; });
        FakeClient target = harness.Register("target");
        var names = Enumerable.Range(0, 40).Select(i => "#" + new string((char)('a' + i % 26), 40) + i).ToList();
        foreach (string name in names)
            target.Send("JOIN " + name);
        target.Take();
        target.Send("WHOIS target");
        List<string> channels = target.Take().Where(l => l.Contains(" 319 ")).ToList();
        Assert.True(channels.Count >= 4);
        Assert.All(channels, l => Assert.InRange(l.Length + 2, 1, 512));
        Assert.Equal(names.Select(n => "@" + n), channels.SelectMany(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ')));
    }

    [Fact]
    public void Whowas_remembers_quits_and_nick_changes_newest_first_within_its_bound()
    {
        using var harness = new ChatHarness(o => o.WhowasHistoryLength = 2);
        FakeClient asker = harness.Register("asker");
        FakeClient first = harness.Register("gone");
        first.Send("QUIT :bye");
        FakeClient second = harness.Register("renamed");
        second.Send("NICK gone");                       // 'gone' is held again; 'renamed' is remembered
        second.Send("QUIT");
        second.Take();

        asker.Send("WHOWAS gone");
        List<string> lines = asker.Take();
        Assert.Equal($":{S} 314 asker gone renamed 127.0.0.1 * :Real renamed", lines[0]); // newest first
        Assert.StartsWith($":{S} 312 asker gone {S} ", lines[1]);
        Assert.Equal($":{S} 369 asker gone :End of WHOWAS", lines[^1]);
        Assert.Equal(3, lines.Count);                    // the ring holds 2 entries: 'renamed' and the last 'gone'; the first 'gone' fell out

        asker.Send("WHOWAS renamed 1");
        Assert.Equal($":{S} 314 asker renamed renamed 127.0.0.1 * :Real renamed", asker.Take()[0]);
        asker.Send("WHOWAS never");
        Assert.Equal([$":{S} 406 asker never :There was no such nickname", $":{S} 369 asker never :End of WHOWAS"], asker.Take());
    }

    [Fact]
    public void Lusers_counts_users_invisible_operators_unknown_and_channels()
    {
        using var harness = WithOperator();
        FakeClient a = harness.Register("a");
        FakeClient b = harness.Register("b");
        harness.Connect();                               // registering: "unknown"
        b.Send("MODE b +i");
        b.Send("OPER operuser operpassword");
        a.Send("JOIN #x");
        a.Take();
        a.Send("LUSERS");
        Assert.Equal(
            [$":{S} 251 a :There are 1 users and 1 invisible on 1 servers", $":{S} 252 a 1 :operator(s) online",
             $":{S} 253 a 1 :unknown connection(s)", $":{S} 254 a 1 :channels formed", $":{S} 255 a :I have 2 clients and 0 servers",
             $":{S} 265 a 2 2 :Current local users 2, max 2", $":{S} 266 a 2 2 :Current global users 2, max 2"],
            a.Take());
        b.Send("QUIT");
        a.Send("LUSERS");
        List<string> after = a.Take();
        Assert.Equal($":{S} 251 a :There are 1 users and 0 invisible on 1 servers", after[0]);
        Assert.Equal($":{S} 252 a 0 :operator(s) online", after[1]);
        Assert.Equal($":{S} 265 a 1 2 :Current local users 1, max 2", after[5]);
    }

    [Fact]
    public void A_connection_that_quit_is_not_unknown_while_the_transport_is_still_closing_it()
    {
        using var harness = new ChatHarness();
        FakeClient a = harness.Register("a");
        FakeClient leaving = harness.Connect();
        leaving.Connection.DisconnectOnClose = false;     // the transport reports the socket gone later
        leaving.Send("NICK leaving");
        a.Send("LUSERS");
        Assert.Contains($":{S} 253 a 1 :unknown connection(s)", a.Take());
        leaving.Send("QUIT");
        a.Send("LUSERS");
        Assert.Contains($":{S} 253 a 0 :unknown connection(s)", a.Take());
    }

    [Fact]
    public void Away_is_acknowledged_announced_to_senders_and_cleared()
    {
        using var harness = new ChatHarness(o => o.AwayLength = 4);
        FakeClient away = harness.Register("away");
        FakeClient sender = harness.Register("sender");
        away.Send("AWAY :gone fishing");
        Assert.Equal([$":{S} 306 away :You have been marked as being away"], away.Take());
        sender.Send("PRIVMSG away :hi");
        sender.Send("NOTICE away :no auto-reply to notices");
        Assert.Equal([$":{S} 301 sender away gone"], sender.Take()); // cut at AWAYLEN
        sender.Send("USERHOST away sender nobody");
        Assert.Equal([$":{S} 302 sender :away=-away@127.0.0.1 sender=+sender@127.0.0.1"], sender.Take());
        Assert.Equal(2, away.Take().Count);                // away clients still get their messages
        away.Send("AWAY :");
        Assert.Equal([$":{S} 305 away :You are no longer marked as being away"], away.Take());
        sender.Send("PRIVMSG away :hi again");
        Assert.Empty(sender.Take());
    }

    [Fact]
    public void Ison_answers_with_the_nicks_online_as_they_are_spelt()
    {
        using var harness = new ChatHarness();
        harness.Register("Alice");
        FakeClient asker = harness.Register("asker");
        asker.Send("ISON alice bob ASKER");
        Assert.Equal([$":{S} 303 asker :Alice asker"], asker.Take());
        asker.Send("ISON :nobody here");
        Assert.Equal([$":{S} 303 asker :"], asker.Take());
    }

    [Fact]
    public void Oper_checks_the_hash_and_grants_o_and_w()
    {
        using var harness = WithOperator();
        FakeClient user = harness.Register("user");
        user.Send("OPER operuser wrong");
        user.Send("OPER nosuchoper operpassword");
        Assert.Equal([$":{S} 464 user :Password incorrect", $":{S} 464 user :Password incorrect"], user.Take());
        user.Send("OPER operuser operpassword");
        Assert.Equal([$":{S} 381 user :You are now an IRC operator", ":user!user@127.0.0.1 MODE user +ow"], user.Take());
        user.Send("MODE user +o-o");                      // +o is OPER's alone; -o drops it
        Assert.Equal([":user!user@127.0.0.1 MODE user -o"], user.Take());
    }

    [Fact]
    public void Oper_without_configured_operators_gets_491()
    {
        using var harness = new ChatHarness();
        FakeClient user = harness.Register("user");
        user.Send("OPER operuser operpassword");
        Assert.Equal([$":{S} 491 user :No O-lines for your host"], user.Take());
    }

    [Fact]
    public void Kill_and_wallops_need_an_operator()
    {
        using var harness = WithOperator();
        FakeClient oper = harness.Register("oper");
        FakeClient victim = harness.Register("victim");
        FakeClient watcher = harness.Register("watcher");
        watcher.Send("MODE watcher +w");
        victim.Send("JOIN #v");
        watcher.Send("JOIN #v");
        victim.Take();
        watcher.Take();

        victim.Send("KILL oper :no");
        victim.Send("WALLOPS :no");
        Assert.Equal([$":{S} 481 victim :Permission Denied- You're not an IRC operator", $":{S} 481 victim :Permission Denied- You're not an IRC operator"], victim.Take());

        oper.Send("OPER operuser operpassword");
        oper.Take();
        oper.Send("WALLOPS :maintenance at noon");
        Assert.Equal([":oper!oper@127.0.0.1 WALLOPS :maintenance at noon"], watcher.Take());
        Assert.Equal([":oper!oper@127.0.0.1 WALLOPS :maintenance at noon"], oper.Take()); // OPER set +w
        Assert.Empty(victim.Take());

        oper.Send("KILL victim :spamming");
        Assert.Equal([":oper!oper@127.0.0.1 KILL victim :spamming", "ERROR :Killed (oper (spamming))"], victim.Take());
        Assert.Equal("Killed (oper (spamming))", victim.Connection.ClosedWith);
        Assert.Equal([":victim!victim@127.0.0.1 QUIT :Killed (oper (spamming))"], watcher.Take());
        oper.Send("KILL nobody :x");
        Assert.Equal([$":{S} 401 oper nobody :No such nick/channel"], oper.Take());
    }

    [Fact]
    public void Who_masks_respect_invisibility_and_flags_show_away_operator_and_prefix()
    {
        using var harness = WithOperator();
        FakeClient hidden = harness.Register("hidden");
        hidden.Send("MODE hidden +i");
        FakeClient shown = harness.Register("shown");
        shown.Send("AWAY :out");
        shown.Send("OPER operuser operpassword");
        FakeClient asker = harness.Register("asker");
        asker.Send("WHO *n");
        Assert.Equal([$":{S} 352 asker * shown 127.0.0.1 {S} shown G* :0 Real shown", $":{S} 315 asker *n :End of /WHO list."], asker.Take());
        asker.Send("WHO hidden");                          // an exact nick finds an invisible user
        Assert.Contains(" 352 asker * hidden ", asker.Take()[0]);
        asker.Send("WHO * o");
        Assert.Equal(2, asker.Take().Count);               // only the operator, then 315
        asker.Send("WHO shown %tnfa,42");
        Assert.Equal($":{S} 354 asker 42 shown G* 0", asker.Take()[0]);
    }

    [Fact]
    public void Info_time_version_and_motd_answer()
    {
        using var harness = new ChatHarness(o => o.Motd = "hello");
        FakeClient user = harness.Register("user");
        user.Send("TIME");
        Assert.Equal($":{S} 391 user {S} :Thursday January 1 2026 -- 00:00:00 UTC", user.Take()[0]);
        user.Send("TIME other.server");
        Assert.Equal([$":{S} 402 user other.server :No such server"], user.Take());
        user.Send("VERSION");
        List<string> version = user.Take();
        Assert.StartsWith($":{S} 351 user chatload-1.0 {S} :", version[0]);
        Assert.All(version.Skip(1), l => Assert.Contains(" 005 ", l));
        user.Send("INFO");
        List<string> info = user.Take();
        Assert.All(info[..^1], l => Assert.Contains(" 371 user :", l));
        Assert.Equal($":{S} 374 user :End of INFO list", info[^1]);
        user.Send("MOTD");
        Assert.Equal([$":{S} 375 user :- {S} Message of the day - ", $":{S} 372 user :- hello", $":{S} 376 user :End of /MOTD command."], user.Take());
        user.Send("HELP PRIVMSG");
        Assert.Equal(3, user.Take().Count(l => l.Contains(" 704 user PRIVMSG ") || l.Contains(" 705 user PRIVMSG ") || l.Contains(" 706 user PRIVMSG ")));
        user.Send("HELP NOSUCH");
        Assert.Equal([$":{S} 524 user NOSUCH :No help available on this topic"], user.Take());
    }
}
