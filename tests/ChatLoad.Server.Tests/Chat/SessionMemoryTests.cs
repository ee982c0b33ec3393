using System.Text;
using ChatLoad.Server.Tests.Chat.Fakes;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// What the chat core holds for one idle registered client in a channel (its session, identity, membership, nick and
/// session table entries), measured and printed: live bytes after a full collection, before and after 2,000 clients
/// connect, register and join one of 20 channels. The transport's part (socket, pipe state) is not in it: the idle-hold
/// load run measures the whole server (README, "Where the idle bytes went").
/// </summary>
[Collection(LiveMemoryCollection.Name)]
public class SessionMemoryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void An_idle_registered_client_costs_the_core_well_under_a_kilobyte()
    {
        const int clients = 2000;
        using var harness = new ChatHarness();
        var sessions = new List<IConnectionSession>(clients);
        var connections = new List<CountingConnection>(clients);

        long before = LiveMemoryCollection.LiveBytes();
        for (int i = 0; i < clients; i++)
        {
            var connection = new CountingConnection();
            IConnectionSession session = harness.Server.OnConnected(connection)!;
            session.OnLine(Encoding.ASCII.GetBytes($"NICK idle{i:D5}"));
            session.OnLine(Encoding.ASCII.GetBytes($"USER idle{i:D5} 0 * :Idle Client"));
            session.OnLine(Encoding.ASCII.GetBytes($"JOIN #room-{i % 20:D2}"));
            sessions.Add(session);
            connections.Add(connection);
        }
        long after = LiveMemoryCollection.LiveBytes();
        long connectionBytes = ConnectionBytes(clients);

        long perClient = (after - before) / clients - connectionBytes;
        output.WriteLine($"the core's live bytes per idle registered client in a channel: {perClient} (the fake connection's {connectionBytes} taken out)");
        // Wide bounds (a structural property, not a benchmark): a session is a handful of small objects, not kilobytes.
        Assert.InRange(perClient, 128, 1024);
        GC.KeepAlive(sessions);
        GC.KeepAlive(connections);
    }

    // The test's own fake connections, measured alone, so the figure is the core's.
    private static long ConnectionBytes(int count)
    {
        long before = LiveMemoryCollection.LiveBytes();
        var connections = new List<CountingConnection>(count);
        for (int i = 0; i < count; i++)
            connections.Add(new CountingConnection());
        long after = LiveMemoryCollection.LiveBytes();
        GC.KeepAlive(connections);
        return (after - before) / count;
    }
}
