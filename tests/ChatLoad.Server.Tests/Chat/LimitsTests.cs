using System.Text;
using ChatLoad.Server.Tests.Chat.Fakes;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// The chat core's limits with the server's defaults unless a test says otherwise: targets per message, the NICK and
/// JOIN/PART rates, the channel cap, names and text. Each refusal is a clear numeric; nothing else changes.
/// </summary>
public class LimitsTests
{
    private const string S = ChatHarness.ServerName;

    [Fact]
    public void Duplicate_targets_get_one_copy_and_targets_past_max_targets_one_407()
    {
        using var harness = new ChatHarness();
        List<FakeClient> members = harness.RegisterInChannel("#v", 2);
        FakeClient sender = members[0], member = members[1];
        FakeClient[] nicks = [harness.Register("n1"), harness.Register("n2"), harness.Register("n3"), harness.Register("n4")];

        sender.Send("PRIVMSG " + string.Join(',', Enumerable.Repeat("#v", 245)) + ",#V :once");
        Assert.Equal([":user0!user0@127.0.0.1 PRIVMSG #v :once"], member.Take());
        Assert.Empty(sender.Take());

        sender.Send("PRIVMSG #v,n1,N1,n2,n3,n4 :five names, four distinct targets allowed");
        Assert.Single(member.Take());
        Assert.Single(nicks[0].Take());
        Assert.Single(nicks[1].Take());
        Assert.Single(nicks[2].Take());
        Assert.Empty(nicks[3].Take());
        Assert.Equal([$":{S} 407 user0 n4 :Too many recipients. Only 4 processed"], sender.Take());
    }

    [Fact]
    public void Notice_past_max_targets_is_dropped_without_a_reply()
    {
        using var harness = new ChatHarness(o => o.MaxTargets = 1);
        FakeClient sender = harness.Register("s");
        FakeClient a = harness.Register("a"), b = harness.Register("b");
        sender.Send("NOTICE a,b :hi");
        Assert.Single(a.Take());
        Assert.Empty(b.Take());
        Assert.Empty(sender.Take());
    }

    [Fact]
    public void Isupport_advertises_the_limits()
    {
        using var harness = new ChatHarness(o => o.MaxTargets = 3);
        FakeClient client = harness.Connect();
        client.Send("NICK i");
        client.Send("USER i 0 * :i");
        string isupport = string.Join(' ', client.Take().Where(l => l.Contains(" 005 ", StringComparison.Ordinal)));
        foreach (string token in new[] { "MAXTARGETS=3", "TARGMAX=KICK:3,NAMES:3,NOTICE:3,PRIVMSG:3", "UTF8ONLY", "NICKLEN=30", "CHANNELLEN=50", "CHANLIMIT=#:100" })
            Assert.Contains($" {token} ", isupport);
    }

    [Fact]
    public void Nick_changes_past_the_burst_get_438_until_time_earns_one_back()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("n0");
        for (int i = 1; i <= 5; i++)
            client.Send($"NICK n{i}");
        Assert.Equal(5, client.Take().Count(l => l.Contains(" NICK :n", StringComparison.Ordinal)));

        client.Send("NICK n6");
        Assert.Equal([$":{S} 438 n5 n6 :Nick change too fast. Please wait 4 seconds"], client.Take());

        harness.Time.Advance(TimeSpan.FromSeconds(4));
        client.Send("NICK n6");
        Assert.Equal([":n5!n0@127.0.0.1 NICK :n6"], client.Take());
    }

    [Fact]
    public void Choosing_a_nick_before_registration_is_not_rate_limited()
    {
        using var harness = new ChatHarness(o => o.NickChangeBurst = 1);
        FakeClient client = harness.Connect();
        for (int i = 0; i < 10; i++)
            client.Send($"NICK try{i}");
        client.Send("USER u 0 * :u");
        Assert.Contains(client.Take(), l => l.StartsWith($":{S} 001 try9 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Joins_and_parts_past_the_budget_get_one_263_and_are_not_carried_out()
    {
        using var harness = new ChatHarness(o => o.JoinPartBurst = 3);
        FakeClient client = harness.Register("j");
        client.Send("JOIN #a,#b,#c,#d,#e");
        List<string> lines = client.Take();
        Assert.Equal(3, lines.Count(l => l.StartsWith(":j!j@127.0.0.1 JOIN ", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith($":{S} 263 j JOIN :Please wait a while and try again", StringComparison.Ordinal));
        Assert.Equal(3, harness.Server.ChannelCount);

        client.Send("PART #a");
        Assert.Equal([$":{S} 263 j PART :Please wait a while and try again (1 s: too many joins and parts)"], client.Take());

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        client.Send("PART #a");
        Assert.Equal([":j!j@127.0.0.1 PART #a"], client.Take());
    }

    [Fact]
    public void Creating_a_channel_past_max_channels_gets_437_but_existing_channels_can_be_joined()
    {
        using var harness = new ChatHarness(o => o.MaxChannels = 2);
        FakeClient first = harness.Register("first");
        first.Send("JOIN #one,#two,#three");
        Assert.Contains($":{S} 437 first #three :Cannot create the channel: the server holds its limit of 2 channels", first.Take());
        Assert.Equal(2, harness.Server.ChannelCount);

        FakeClient second = harness.Register("second");
        second.Send("JOIN #two");
        Assert.Contains(second.Take(), l => l == ":second!second@127.0.0.1 JOIN #two");

        first.Send("PART #one");
        first.Take();
        second.Send("JOIN #three");
        Assert.Contains(second.Take(), l => l == ":second!second@127.0.0.1 JOIN #three"); // a slot came free
    }

    [Fact]
    public void The_channel_count_is_exported_as_a_gauge()
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("g");
        client.Send("JOIN #g1,#g2");
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        long observed = -1;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "chatload.channels" && harness.MeterFactory.Meters.Contains(instrument.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(2, observed);
    }

    [Theory]
    [InlineData("#esc\u001b[31m")]
    [InlineData("#tab\there")]
    [InlineData("#del\u007f")]
    [InlineData("#c1\u0085")]
    [InlineData("#bell\a")]
    public void Channel_names_with_control_characters_get_403(string name)
    {
        using var harness = new ChatHarness();
        FakeClient client = harness.Register("c");
        client.SendBytes(Encoding.UTF8.GetBytes("JOIN " + name));
        string reply = Assert.Single(client.Take());
        Assert.StartsWith($":{S} 403 c ", reply);
        Assert.Equal(0, harness.Server.ChannelCount);
    }

    [Fact]
    public void A_quit_reason_with_nul_and_a_long_text_closes_with_a_clean_error_line_within_512_bytes()
    {
        string reason = "bye\0there " + new string('é', 300);
        byte[] line = ServerReplies.Error($"Closing link: someone[127.0.0.1] (Quit: {reason})");
        Assert.True(line.Length <= 512, $"{line.Length} bytes");
        Assert.Equal("\r\n"u8.ToArray(), line[^2..]);
        Assert.DoesNotContain((byte)0, line);
        Assert.Equal(2, line.Count(b => b is (byte)'\r' or (byte)'\n'));
        Assert.True(System.Text.Unicode.Utf8.IsValid(line));
        Assert.StartsWith("ERROR :Closing link: someone[127.0.0.1] (Quit: bye there ", Encoding.UTF8.GetString(line));
    }
}
