using System.Text;
using ChatLoad.Server.Tests.Chat.Fakes;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat;

/// <summary>
/// What the chat core allocates for one client of a connect storm — a session, NICK and USER with the welcome burst,
/// JOIN of a room of 10, the disconnect — measured with the exact per-thread allocation counter, so the figure does
/// not depend on timing. Every byte here is garbage the server collects at the storm's rate (10,000 clients a second
/// is 10,000 times this per second).
/// </summary>
public class ConnectAllocationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int StandingMembers = 9;

    [Fact]
    public void Connect_register_join_and_leave_allocates_at_most_five_KiB_in_the_core()
    {
        using var harness = new ChatHarness();
        for (int i = 0; i < StandingMembers; i++)
            Cycle(harness, $"member{i}", leave: false);
        for (int i = 0; i < 200; i++)
            Cycle(harness, $"warm{i}", leave: true); // JIT, tiered compilation, lazy statics, pools

        const int clients = 500;
        long[] steps = new long[4];
        for (int i = 0; i < clients; i++)
        {
            long[] one = Cycle(harness, $"g{i}", leave: true);
            for (int s = 0; s < steps.Length; s++)
                steps[s] += one[s];
        }
        long total = steps.Sum() / clients;
        output.WriteLine($"bytes per client: connect {steps[0] / clients}, NICK {steps[1] / clients}, USER + welcome {steps[2] / clients}, " +
                         $"JOIN {steps[3] / clients}; with the disconnect {total} in all");

        // Measured 3.9 KB: the session and identity, the exact-size welcome burst (1.2 KB) and the LUSERS texts, the
        // JOIN lines, NAMES and membership, the QUIT. It was 7.2 KB while each reply grew a buffer of its own and
        // every client got its own copy of the 005 lines' parameters and of 002's and 003's text.
        Assert.InRange(total, 1024, 5 * 1024);
    }

    // One client's life; returns the bytes allocated by each of connect, NICK, USER and JOIN (the disconnect is in
    // the last one's total when leave is true).
    private static long[] Cycle(ChatHarness harness, string nick, bool leave)
    {
        var connection = new CountingConnection();
        byte[] nickLine = Encoding.ASCII.GetBytes($"NICK {nick}");
        byte[] userLine = Encoding.ASCII.GetBytes($"USER {nick} 0 * :chatload-gen");
        long[] steps = new long[4];
        long before = GC.GetAllocatedBytesForCurrentThread();
        IConnectionSession session = harness.Server.OnConnected(connection);
        steps[0] = Next(ref before);
        session.OnLine(nickLine);
        steps[1] = Next(ref before);
        session.OnLine(userLine);
        steps[2] = Next(ref before);
        session.OnLine("JOIN #storm"u8);
        if (leave)
            session.OnDisconnected("Connection closed by peer");
        steps[3] = Next(ref before);
        return steps;
    }

    private static long Next(ref long before)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        long step = now - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        return step;
    }
}
