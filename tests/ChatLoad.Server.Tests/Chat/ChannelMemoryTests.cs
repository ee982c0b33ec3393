using System.Text;
using ChatLoad.Server.Tests.Chat.Fakes;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// What one channel costs in memory, measured (and printed) so MaxChannels' bound is a known figure: live bytes
/// after a full collection, before and after 2,000 clients each create one channel.
/// </summary>
[Collection(LiveMemoryCollection.Name)]
public class ChannelMemoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_channel_costs_about_a_kilobyte_and_max_channels_bounds_the_total()
    {
        long bare = BytesPerChannel(topic: null);
        long withTopic = BytesPerChannel(topic: new string('t', 300));
        output.WriteLine($"one channel with one member: {bare} bytes; with a 300-character topic: {withTopic} bytes");
        output.WriteLine($"at the default MaxChannels (20,000): {bare * 20_000 / (1024 * 1024)} MB, {withTopic * 20_000 / (1024 * 1024)} MB with such topics");

        // Wide bounds (a structural property, not a benchmark): a channel is a few small objects, not kilobytes each.
        Assert.InRange(bare, 64, 4096);
        Assert.InRange(withTopic, bare, bare + 4096);
    }

    private static long BytesPerChannel(string? topic)
    {
        const int channels = 2000;
        using var harness = new ChatHarness();
        var sessions = new List<IConnectionSession>(channels);
        for (int i = 0; i < channels; i++)
        {
            IConnectionSession session = harness.Server.OnConnected(new CountingConnection())!;
            session.OnLine(Encoding.ASCII.GetBytes($"NICK c{i}"));
            session.OnLine(Encoding.ASCII.GetBytes($"USER c{i} 0 * :c"));
            sessions.Add(session);
        }

        long before = LiveMemoryCollection.LiveBytes();
        for (int i = 0; i < channels; i++)
        {
            sessions[i].OnLine(Encoding.ASCII.GetBytes($"JOIN #channel-{i:D5}"));
            if (topic is not null)
                sessions[i].OnLine(Encoding.ASCII.GetBytes($"TOPIC #channel-{i:D5} :{topic}"));
        }
        long after = LiveMemoryCollection.LiveBytes();

        Assert.Equal(channels, harness.Server.ChannelCount);
        GC.KeepAlive(sessions);
        return (after - before) / channels;
    }
}
