using ChatLoad.Server.Tests.Chat.Fakes;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// Replies to a client's own command that are longer than its SendQ (WHO, NAMES, MOTD) are streamed as it reads:
/// complete and in order for a reader that keeps up, and never holding more than half the SendQ at once, so the
/// requester is never dropped for the size of its own reply. On fake connections, with a 4 KiB SendQ so a few
/// hundred members are enough.
/// </summary>
public class StreamedReplyTests
{
    private const string S = ChatHarness.ServerName;
    private const int SendQueue = 4096;
    private const int MaxLine = 512;

    // A channel of members with long nicks, on a 4 KiB SendQ, and a registered client outside it (peak backlog reset).
    private static ChatHarness BigChannel(int members, string outsider, out FakeClient client)
    {
        var harness = new ChatHarness(o => o.SendQueueBytes = SendQueue);
        harness.RegisterInChannel("#big", members, prefix: "member_with_long_nick_");
        client = harness.Register(outsider);
        client.Connection.PeakQueuedBytes = 0;
        return harness;
    }

    [Fact]
    public void Who_of_a_channel_many_times_the_SendQ_arrives_whole_in_parts_of_at_most_half_of_it()
    {
        using ChatHarness harness = BigChannel(members: 300, outsider: "asker", out FakeClient asker);

        asker.Send("WHO #big");

        List<string> firstPart = asker.Connection.TakeLines();
        Assert.InRange(firstPart.Count, 1, 100); // 300 entries of ~90 bytes cannot fit in 2 KiB
        Assert.True(asker.Connection.DrainPauses >= 1, "the asker's input was never paused");
        List<string> lines = [.. firstPart, .. asker.Take()];
        Assert.Equal(301, lines.Count);
        for (int i = 0; i < 300; i++)
        {
            Assert.StartsWith($":{S} 352 asker #big ", lines[i]);
            Assert.Contains($" 127.0.0.1 {S} member_with_long_nick_{i} H", lines[i]); // H, and @ for the first (its operator)
            Assert.EndsWith($" :0 Real member_with_long_nick_{i}", lines[i]);
        }
        Assert.Equal($":{S} 315 asker #big :End of /WHO list.", lines[^1]);
        Assert.InRange(asker.Connection.PeakQueuedBytes, 1, SendQueue / 2 + MaxLine);
        Assert.True(asker.Connection.DrainPauses >= 5, $"only {asker.Connection.DrainPauses} pauses for ~27 KB of WHO");
        Assert.Null(asker.Connection.ClosedWith);
        Assert.False(asker.Connection.IsPausedForDrain);
    }

    [Fact]
    public void Names_on_join_of_a_channel_longer_than_the_SendQ_lists_every_member_then_366()
    {
        using ChatHarness harness = BigChannel(members: 300, outsider: "joiner", out FakeClient joiner);

        joiner.Send("JOIN #big");

        List<string> lines = joiner.Take();
        Assert.Equal(":joiner!joiner@127.0.0.1 JOIN #big", lines[0]);
        var names = lines.Where(l => l.Contains(" 353 ")).SelectMany(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ')).ToList();
        Assert.Equal("@member_with_long_nick_0", names[0]); // the channel's first member is its operator
        Assert.Equal([.. Enumerable.Range(0, 300).Select(i => $"member_with_long_nick_{i}"), "joiner"], names.Select(n => n.TrimStart('@')));
        Assert.Equal($":{S} 366 joiner #big :End of /NAMES list.", lines[^1]);
        Assert.InRange(joiner.Connection.PeakQueuedBytes, 1, SendQueue / 2 + MaxLine);
        Assert.True(joiner.Connection.DrainPauses >= 1);
    }

    [Fact]
    public void Names_of_several_channels_is_built_whole_and_still_streamed()
    {
        using ChatHarness harness = BigChannel(members: 200, outsider: "asker", out FakeClient asker);

        asker.Send("NAMES #big,#big");

        List<string> lines = asker.Take();
        Assert.Equal(400, lines.Where(l => l.Contains(" 353 ")).Sum(l => l[(l.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ').Length));
        Assert.Equal($":{S} 366 asker #big,#big :End of /NAMES list.", lines[^1]);
        Assert.True(asker.Connection.DrainPauses >= 1);
        Assert.InRange(asker.Connection.PeakQueuedBytes, 1, SendQueue / 2 + MaxLine);
    }

    [Fact]
    public void A_second_long_reply_waits_for_the_first()
    {
        using ChatHarness harness = BigChannel(members: 200, outsider: "asker", out FakeClient asker);

        // The fake transport hands over lines while a reply waits (a real one would hold the second line back):
        // the session itself keeps the replies in order.
        asker.Send("WHO #big");
        asker.Send("NAMES #big");

        List<string> lines = asker.Take();
        int endOfWho = lines.FindIndex(l => l.Contains(" 315 "));
        Assert.Equal(200, lines.Take(endOfWho).Count(l => l.Contains(" 352 ")));
        Assert.All(lines.Skip(endOfWho + 1), l => Assert.True(l.Contains(" 353 ") || l.Contains(" 366 "), l));
        Assert.Equal($":{S} 366 asker #big :End of /NAMES list.", lines[^1]);
    }

    [Fact]
    public void A_long_MOTD_is_streamed_after_the_welcome()
    {
        string motd = string.Join("\n", Enumerable.Range(0, 100).Select(i => $"line {i} " + new string('m', 70)));
        using var harness = new ChatHarness(o =>
        {
            o.SendQueueBytes = SendQueue;
            o.Motd = motd;
        });
        FakeClient client = harness.Connect();

        client.Send("NICK reader");
        client.Send("USER reader 0 * :Reader");

        List<string> lines = client.Take();
        Assert.StartsWith($":{S} 001 reader ", lines[0]);
        Assert.True(lines.FindIndex(l => l.Contains(" 375 ")) > lines.FindIndex(l => l.Contains(" 005 "))); // the welcome, then the MOTD
        Assert.Equal(100, lines.Count(l => l.Contains(" 372 ")));
        Assert.Equal($":{S} 372 reader :- line 99 " + new string('m', 70), lines[^2]);
        Assert.Equal($":{S} 376 reader :End of /MOTD command.", lines[^1]);
        Assert.True(client.Connection.DrainPauses >= 1);
    }

    [Fact]
    public void A_requester_that_stops_reading_is_left_paused_with_at_most_half_its_SendQ_queued()
    {
        using ChatHarness harness = BigChannel(members: 300, outsider: "asker", out FakeClient asker);

        asker.Send("WHO #big");

        Assert.True(asker.Connection.IsPausedForDrain);
        Assert.InRange(asker.Connection.QueuedBytes, 1, SendQueue / 2 + MaxLine);
        asker.Disconnect("Connection reset by peer"); // the pending reply goes with it
        Assert.Equal(0, harness.Server.ConnectionCount - 300);
    }
}
