using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>Channel operators, modes, lists, KICK and INVITE on the core with fake connections.</summary>
public class ChannelModeTests
{
    private const string S = ChatHarness.ServerName;

    [Fact]
    public void The_creator_is_operator_and_only_operators_change_modes()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#m", 2);
        c[1].Send("MODE #m +m");
        Assert.Equal([$":{S} 482 user1 #m :You're not channel operator"], c[1].Take());

        c[0].Send("MODE #m +m-t+v user1");
        string line = ":user0!user0@127.0.0.1 MODE #m +m-t+v user1";
        Assert.Equal([line], c[0].Take());
        Assert.Equal([line], c[1].Take());
        c[0].Send("MODE #m");
        Assert.Equal($":{S} 324 user0 #m +mn", c[0].Take()[0]);
    }

    [Fact]
    public void Moderated_and_no_external_decide_who_may_speak()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#m", 2);
        FakeClient outsider = harness.Register("outsider");

        outsider.Send("PRIVMSG #m :from outside");            // +n by default
        Assert.Equal([$":{S} 404 outsider #m :Cannot send to channel"], outsider.Take());
        c[0].Send("MODE #m -n");
        c[0].Take();
        c[1].Take();
        outsider.Send("PRIVMSG #m :from outside");
        Assert.Equal([":outsider!outsider@127.0.0.1 PRIVMSG #m :from outside"], c[1].Take());

        c[0].Send("MODE #m +m");
        c[1].Take();
        c[1].Send("PRIVMSG #m :muted?");
        Assert.Equal([$":{S} 404 user1 #m :Cannot send to channel"], c[1].Take());
        c[0].Send("MODE #m +v user1");
        c[1].Take();
        c[1].Send("PRIVMSG #m :voiced");
        Assert.Contains(":user1!user1@127.0.0.1 PRIVMSG #m :voiced", c[0].Take());
    }

    [Fact]
    public void Bans_keep_users_out_and_silence_members_and_follow_nick_changes()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#b", 2);
        c[0].Send("MODE #b +b bad*");                          // completed to bad*!*@*
        Assert.Equal([":user0!user0@127.0.0.1 MODE #b +b bad*!*@*"], c[0].Take());
        c[1].Take();

        FakeClient bad = harness.Register("Bad");
        bad.Send("JOIN #b");
        Assert.Equal([$":{S} 474 Bad #b :Cannot join channel (+b)"], bad.Take());

        c[1].Send("PRIVMSG #b :before");                       // not banned yet
        Assert.Single(c[0].Take());
        c[1].Send("NICK good");                                // still no match
        c[1].Send("NICK BADDER");                              // now it matches (case-insensitively), without any MODE
        c[0].Take();
        c[1].Take();
        c[1].Send("PRIVMSG #b :after");
        Assert.Equal([$":{S} 404 BADDER #b :Cannot send to channel"], c[1].Take());

        c[0].Send("MODE #b +e *!user1@*");                     // an exception lifts it
        c[1].Take();
        c[1].Send("PRIVMSG #b :excepted");
        Assert.Contains(":BADDER!user1@127.0.0.1 PRIVMSG #b :excepted", c[0].Take());
        c[0].Send("MODE #b -e *!user1@*");
        c[0].Take();
        c[1].Take();
        c[1].Send("PRIVMSG #b :silenced again");
        Assert.Equal([$":{S} 404 BADDER #b :Cannot send to channel"], c[1].Take());

        c[0].Send("MODE #b b");
        List<string> list = c[0].Take();
        Assert.StartsWith($":{S} 367 user0 #b bad*!*@* user0!user0@127.0.0.1 ", list[0]);
        Assert.Equal($":{S} 368 user0 #b :End of channel ban list", list[1]);
    }

    [Fact]
    public void Ban_list_entries_stop_at_max_list_entries()
    {
        using var harness = new ChatHarness(o => o.MaxListEntries = 2);
        FakeClient op = harness.Register("op");
        op.Send("JOIN #full");
        op.Take();
        op.Send("MODE #full +bbb a b c");
        Assert.Equal([":op!op@127.0.0.1 MODE #full +bb a!*@* b!*@*", $":{S} 478 op #full b :Channel list is full"], op.Take());
    }

    [Fact]
    public void Key_limit_and_invite_only_are_enforced_and_an_invitation_passes_them()
    {
        using var harness = new ChatHarness();
        FakeClient op = harness.Register("op");
        op.Send("JOIN #k");
        op.Send("MODE #k +kli secret 1");
        Assert.Contains(":op!op@127.0.0.1 MODE #k +kli secret 1", op.Take());

        FakeClient guest = harness.Register("guest");
        guest.Send("JOIN #k");
        guest.Send("JOIN #k wrong");
        guest.Send("JOIN #k secret");
        Assert.Equal([$":{S} 473 guest #k :Cannot join channel (+i)", $":{S} 473 guest #k :Cannot join channel (+i)",
                      $":{S} 473 guest #k :Cannot join channel (+i)"], guest.Take());
        op.Send("MODE #k -i");
        op.Take();
        guest.Send("JOIN #k wrong");
        guest.Send("JOIN #k secret");
        Assert.Equal([$":{S} 475 guest #k :Cannot join channel (+k)", $":{S} 471 guest #k :Cannot join channel (+l)"], guest.Take());

        op.Send("INVITE guest #k");
        Assert.Equal([$":{S} 341 op guest #k"], op.Take());
        Assert.Equal([":op!op@127.0.0.1 INVITE guest #k"], guest.Take());
        guest.Send("INVITE");
        Assert.Equal([$":{S} 336 guest #k", $":{S} 337 guest :End of /INVITE list"], guest.Take());
        guest.Send("JOIN #k");                                 // no key, over the limit: the invitation lets it in once
        Assert.Equal(":guest!guest@127.0.0.1 JOIN #k", guest.Take()[0]);
        guest.Send("INVITE");
        Assert.Equal([$":{S} 337 guest :End of /INVITE list"], guest.Take());
    }

    [Theory]
    [InlineData("+k :", "696 op #k k * :")]
    [InlineData("+k :two words", "696 op #k k * :")]
    [InlineData("+l 0", "696 op #k l 0 :")]
    [InlineData("+l -1", "696 op #k l -1 :")]
    [InlineData("+l abc", "696 op #k l abc :")]
    [InlineData("+q", "472 op q :")]
    public void Invalid_mode_parameters_get_696_and_unknown_letters_472(string change, string expected)
    {
        using var harness = new ChatHarness();
        FakeClient op = harness.Register("op");
        op.Send("JOIN #k");
        op.Take();
        op.Send("MODE #k " + change);
        List<string> lines = op.Take();
        Assert.Single(lines);
        Assert.StartsWith($":{S} {expected}", lines[0]);
    }

    [Fact]
    public void Mode_errors_for_targets_are_401_441_and_442_for_a_non_member()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#o", 1);
        FakeClient other = harness.Register("other");
        c[0].Send("MODE #o +o nobody");
        c[0].Send("MODE #o +o other");
        Assert.Equal([$":{S} 401 user0 nobody :No such nick/channel", $":{S} 441 user0 other #o :They aren't on that channel"], c[0].Take());
        other.Send("MODE #o +o other");
        Assert.Equal([$":{S} 442 other #o :You're not on that channel"], other.Take());
    }

    [Fact]
    public void Topic_under_plus_t_needs_an_operator()
    {
        using var harness = new ChatHarness(o => o.TopicLength = 10);
        List<FakeClient> c = harness.RegisterInChannel("#t", 2);
        c[1].Send("TOPIC #t :mine");
        Assert.Equal([$":{S} 482 user1 #t :You're not channel operator"], c[1].Take());
        c[0].Send("TOPIC #t :a topic longer than ten");
        Assert.Equal([":user0!user0@127.0.0.1 TOPIC #t :a topic lo"], c[1].Take()); // cut at TOPICLEN
    }

    [Fact]
    public void Kick_removes_the_target_everyone_sees_it_and_errors_are_precise()
    {
        using var harness = new ChatHarness(o => o.KickLength = 5);
        List<FakeClient> c = harness.RegisterInChannel("#k", 3);
        c[1].Send("KICK #k user2");
        Assert.Equal([$":{S} 482 user1 #k :You're not channel operator"], c[1].Take());

        c[0].Send("KICK #k user2 :goodbye forever");
        string kick = ":user0!user0@127.0.0.1 KICK #k user2 :goodb"; // cut at KICKLEN
        foreach (FakeClient member in c)
            Assert.Equal([kick], member.Take());
        c[2].Send("PRIVMSG #k :still here?");
        Assert.Equal([$":{S} 404 user2 #k :Cannot send to channel"], c[2].Take());

        c[0].Send("KICK #k user1");                               // the default reason is the kicker's nick
        Assert.Equal([":user0!user0@127.0.0.1 KICK #k user1 :user0"], c[1].Take());
        c[0].Take();
        c[0].Send("KICK #k user2");
        c[0].Send("KICK #nowhere user2");
        Assert.Equal([$":{S} 441 user0 user2 #k :They aren't on that channel", $":{S} 403 user0 #nowhere :No such channel"], c[0].Take());
    }

    [Fact]
    public void Secret_channels_hide_from_names_list_and_whois_for_outsiders()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#s", 1);
        c[0].Send("MODE #s +s");
        c[0].Send("NAMES #s");
        Assert.Equal($":{S} 353 user0 @ #s :@user0", c[0].Take()[1]);

        FakeClient outsider = harness.Register("outsider");
        outsider.Send("NAMES #s");
        outsider.Send("LIST");
        outsider.Send("WHOIS user0");
        List<string> lines = outsider.Take();
        Assert.Equal($":{S} 366 outsider #s :End of /NAMES list.", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains(" 322 ") || l.Contains(" 319 ") || l.Contains(" 353 "));
    }

    [Fact]
    public void Statusmsg_reaches_operators_only()
    {
        using var harness = new ChatHarness();
        List<FakeClient> c = harness.RegisterInChannel("#st", 3);
        c[0].Send("MODE #st +o user1");
        c[0].Take();
        c[1].Take();
        c[2].Take();
        c[2].Send("PRIVMSG @#st :ops only");
        Assert.Equal([":user2!user2@127.0.0.1 PRIVMSG @#st :ops only"], c[0].Take());
        Assert.Equal([":user2!user2@127.0.0.1 PRIVMSG @#st :ops only"], c[1].Take());
        Assert.Empty(c[2].Take());
    }

    [Fact]
    public void Names_and_kick_take_at_most_max_targets_targets()
    {
        using var harness = new ChatHarness(o => o.MaxTargets = 2);
        List<FakeClient> c = harness.RegisterInChannel("#a", 4);
        c[0].Send("JOIN #b,#c");
        c[0].Take();
        c[0].Send("NAMES #a,#b,#c");
        List<string> names = c[0].Take();
        Assert.Equal(2, names.Count(l => l.Contains(" 353 ")));          // #c is past TARGMAX NAMES:2
        Assert.Equal($":{S} 366 user0 #a,#b,#c :End of /NAMES list.", names[^1]);

        c[0].Send("KICK #a user1,user2,user3");
        Assert.Equal(2, c[3].Take().Count(l => l.Contains(" KICK ")));  // user3 stays: past TARGMAX KICK:2
        c[3].Send("PRIVMSG #a :still in");
        Assert.Contains(":user3!user3@127.0.0.1 PRIVMSG #a :still in", c[0].Take());
    }
}
