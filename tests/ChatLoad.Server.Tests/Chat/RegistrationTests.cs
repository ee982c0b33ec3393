using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

public class RegistrationTests
{
    private const string S = ChatHarness.ServerName;

    [Fact]
    public void Nick_and_user_get_the_welcome_burst_isupport_and_no_motd()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Connect();
        client.Send("NICK alice");
        Assert.Empty(client.Take()); // nothing until USER
        client.Send("USER al 0 * :Alice Liddell");
        List<string> lines = client.Take();

        Assert.Equal([$":{S} 001", $":{S} 002", $":{S} 003", $":{S} 004", $":{S} 005", $":{S} 005",
                      $":{S} 251", $":{S} 252", $":{S} 253", $":{S} 254", $":{S} 255", $":{S} 265", $":{S} 266", $":{S} 422"],
            lines.Select(l => l[..(S.Length + 5)]));
        Assert.Equal($":{S} 001 alice :Welcome to the TestNet IRC Network alice!al@127.0.0.1", lines[0]);
        Assert.Equal($":{S} 004 alice {S} chatload-1.0 Biow Ibeiklmnostv Ibeklov", lines[3]);
        string isupport = lines[4] + lines[5];
        foreach (string token in new[] { "CASEMAPPING=rfc1459", "CHANTYPES=#", "NICKLEN=30", "CHANNELLEN=50", "CHANLIMIT=#:100", "NETWORK=TestNet",
                     "PREFIX=(ov)@+", "CHANMODES=beI,k,l,imnst", "TOPICLEN=390", "KICKLEN=255", "AWAYLEN=200" })
            Assert.Contains($" {token} ", isupport);
        Assert.All(lines[4..6], l => Assert.EndsWith(":are supported by this server", l));
        Assert.Equal($":{S} 251 alice :There are 1 users and 0 invisible on 1 servers", lines[6]);
    }

    [Fact]
    public void User_before_nick_registers_too()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Connect();
        client.Send("USER bob 0 * :Bob");
        Assert.Empty(client.Take());
        client.Send("NICK bob");
        Assert.StartsWith($":{S} 001 bob ", client.Take()[0]);
    }

    [Fact]
    public void A_configured_motd_is_sent_line_by_line()
    {
        using var harness = new ChatHarness(o => o.Motd = "Hello\nSecond line");
        FakeClient client = harness.Connect();
        client.Send("NICK m");
        client.Send("USER m 0 * :m");
        List<string> lines = client.Take();
        Assert.DoesNotContain(lines, l => l.Contains(" 422 "));
        Assert.Contains($":{S} 375 m :- {S} Message of the day - ", lines);
        Assert.Contains($":{S} 372 m :- Hello", lines);
        Assert.Contains($":{S} 372 m :- Second line", lines);
        Assert.Equal($":{S} 376 m :End of /MOTD command.", lines[^1]);
    }

    [Fact]
    public void Cap_ls_lists_the_offered_capabilities_and_holds_registration_until_cap_end()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Connect();
        client.Send("CAP LS 302");
        client.Send("NICK capper");
        client.Send("USER capper 0 * :Cap");
        Assert.Equal([$":{S} CAP * LS :away-notify batch cap-notify echo-message extended-join extended-monitor invite-notify " +
                      "labeled-response message-tags multi-prefix server-time setname userhost-in-names"], client.Take());
        client.Send("CAP REQ :multi-prefix sasl");
        Assert.Equal([$":{S} CAP capper NAK :multi-prefix sasl"], client.Take()); // sasl is not offered: all or nothing
        client.Send("CAP REQ :multi-prefix");
        Assert.Equal([$":{S} CAP capper ACK :multi-prefix"], client.Take());
        client.Send("CAP END");
        Assert.StartsWith($":{S} 001 capper ", client.Take()[0]);
        client.Send("CAP LIST");
        Assert.Equal([$":{S} CAP capper LIST :cap-notify multi-prefix"], client.Take()); // 302 implies cap-notify
    }

    [Fact]
    public void Cap_list_and_unknown_subcommands_are_answered()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("c");
        client.Send("CAP LIST");
        client.Send("CAP FOO");
        Assert.Equal([$":{S} CAP c LIST :", $":{S} 410 c FOO :Invalid CAP command"], client.Take());
    }

    [Theory]
    [InlineData("JOIN #a")]
    [InlineData("PRIVMSG bob :hi")]
    [InlineData("NAMES")]
    [InlineData("FOOBAR x")]
    public void Commands_before_registration_get_451(string line)
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Connect();
        client.Send(line);
        Assert.Equal([$":{S} 451 * :You have not registered"], client.Take());
    }

    [Fact]
    public void Ping_pong_and_notice_before_registration_get_no_451()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Connect();
        client.Send("PING :abc");
        client.Send("PONG :x");
        client.Send("NOTICE bob :hi");
        Assert.Equal([$":{S} PONG {S} :abc"], client.Take());
    }

    [Fact]
    public void Missing_parameters_get_461_and_reregistering_gets_462()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Connect();
        client.Send("USER onlyone");
        client.Send("USER u * * :");
        Assert.Equal([$":{S} 461 * USER :Not enough parameters", $":{S} 461 * USER :Not enough parameters"], client.Take());
        client.Send("NICK r");
        client.Send("USER r 0 * :R");
        client.Take();
        client.Send("USER r 0 * :R");
        client.Send("PASS secret");
        client.Send("JOIN");
        Assert.Equal([$":{S} 462 r :You may not reregister", $":{S} 462 r :You may not reregister", $":{S} 461 r JOIN :Not enough parameters"], client.Take());
    }

    [Fact]
    public void Nick_errors_431_and_432()
    {
        using var harness = new ChatHarness(o => o.NickLength = 9);
        FakeClient client = harness.Connect();
        client.Send("NICK");
        client.Send("NICK 9lives");
        client.Send("NICK toolongnick");
        client.Send("NICK bad!nick");
        Assert.Equal(
            [$":{S} 431 * :No nickname given", $":{S} 432 * 9lives :Erroneous nickname",
             $":{S} 432 * toolongnick :Erroneous nickname", $":{S} 432 * bad!nick :Erroneous nickname"],
            client.Take());
    }

    [Fact]
    public void A_server_password_is_required_when_configured()
    {
        using var harness = new ChatHarness(o => o.Password = "s3cret");

        FakeClient none = harness.Connect();
        none.Send("NICK a");
        none.Send("USER a 0 * :a");
        Assert.Equal([$":{S} 464 a :Password incorrect", "ERROR :Bad password"], none.Take());
        Assert.Equal("Bad password", none.Connection.ClosedWith);

        // A wrong PASS is refused at once and closes the connection: one guess per connection.
        FakeClient wrong = harness.Connect();
        wrong.Send("PASS nope");
        wrong.Send("PASS s3cret");
        wrong.Send("NICK b");
        wrong.Send("USER b 0 * :b");
        Assert.Equal([$":{S} 464 * :Password incorrect", "ERROR :Bad password"], wrong.Take());
        Assert.Equal("Bad password", wrong.Connection.ClosedWith);

        FakeClient right = harness.Connect();
        right.Send("PASS s3cret");
        right.Send("NICK c");
        right.Send("USER c 0 * :c");
        Assert.StartsWith($":{S} 001 c ", right.Take()[0]);
        Assert.Null(right.Connection.ClosedWith);
    }

    [Fact]
    public void Unknown_commands_after_registration_get_421_and_overlong_lines_417()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("u");
        client.Send("FROB a b");
        client.Session.OnLineTooLong();
        client.Send("PING still-up");
        Assert.Equal([$":{S} 421 u FROB :Unknown command", $":{S} 417 u :Input line was too long", $":{S} PONG {S} :still-up"], client.Take());
        Assert.Null(client.Connection.ClosedWith);
    }

    [Fact]
    public void Empty_and_malformed_lines_and_invalid_utf8_are_harmless()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("w");
        client.Send("");
        client.Send("   ");
        client.Send(":only.source");
        client.SendBytes([0xFF, 0xFE, (byte)' ', (byte)'x']);
        client.SendBytes([.. "PRIVMSG w :"u8, 0xC3, 0x28]);
        client.SendBytes([.. "NICK "u8, 0xC3, 0xA9]);
        List<string> lines = client.Take();
        Assert.Equal(
            [$":{S} FAIL * INVALID_UTF8 :Message rejected for containing invalid UTF-8", // enforce-utf8 (default): refused, not relayed
             $":{S} FAIL PRIVMSG INVALID_UTF8 :Message rejected for containing invalid UTF-8",
             $":{S} 432 w é :Erroneous nickname"],
            lines);
        Assert.Null(client.Connection.ClosedWith);
    }

    [Fact]
    public void With_enforce_utf8_off_invalid_utf8_is_relayed_as_received()
    {
        using var harness = new ChatHarness(o => o.EnforceUtf8 = false);
        FakeClient client = harness.Register("w");
        client.SendBytes([0xFF, 0xFE, (byte)' ', (byte)'x']);
        client.SendBytes([.. "PRIVMSG w :"u8, 0xC3, 0x28]);
        List<string> lines = client.Take();
        Assert.Equal(2, lines.Count);
        Assert.Contains(" 421 w ", lines[0]);
        Assert.StartsWith(":w!w@127.0.0.1 PRIVMSG w :", lines[1]);
        Assert.DoesNotContain(client.Connection.AllLines(), l => l.Contains("UTF8ONLY", StringComparison.Ordinal));
    }
}
