using System.Net;
using System.Text;
using ChatLoad.Server.Tests.Chat.Fakes;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// The fan-out promise: a channel message is serialized once and queued to every member without allocating per
/// recipient. Measured with the exact per-thread allocation counter, so the result does not depend on timing.
/// </summary>
public class FanOutAllocationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output = output;

    [Fact]
    public void Bytes_allocated_per_channel_message_do_not_grow_with_the_member_count()
    {
        long small = AllocatedPerMessage(members: 10);
        long large = AllocatedPerMessage(members: 1000);

        // One relayed line (~70 bytes plus array header) per message, whatever the channel size.
        Assert.InRange(small, 1, 256);
        Assert.InRange(large, 1, 256);
        Assert.InRange(Math.Abs(large - small), 0, 16);
    }

    private long AllocatedPerMessage(int members)
    {
        using var harness = new ChatHarness();
        var sessions = new List<(CountingConnection Connection, IConnectionSession Session)>();
        for (int i = 0; i < members; i++)
        {
            var connection = new CountingConnection();
            IConnectionSession session = harness.Server.OnConnected(connection);
            session.OnLine(Encoding.ASCII.GetBytes($"NICK m{i}"));
            session.OnLine(Encoding.ASCII.GetBytes($"USER m{i} 0 * :m"));
            session.OnLine("JOIN #alloc"u8);
            sessions.Add((connection, session));
        }
        IConnectionSession sender = sessions[0].Session;
        byte[] line = "PRIVMSG #alloc :hello everyone, this is a message"u8.ToArray();
        for (int i = 0; i < 50; i++)
            sender.OnLine(line); // warm-up: JIT, tiered compilation, lazy statics

        const int messages = 200;
        int lastMemberSendsBefore = sessions[^1].Connection.Sends;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < messages; i++)
            sender.OnLine(line);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(messages, sessions[^1].Connection.Sends - lastMemberSendsBefore); // the messages were delivered
        _output.WriteLine($"{members} members: {allocated / messages} bytes allocated per channel message");
        return allocated / messages;
    }
}
