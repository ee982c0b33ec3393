using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// The transport's half of "zero allocations per delivered message": queueing a shared line to a recipient and
/// the writer's bookkeeping around its vectored write allocate nothing once warm (the ring is pooled, the batch
/// list reused). Measured with the exact per-thread allocation counter, so the result does not depend on timing.
/// </summary>
public sealed class OutboundAllocationTests
{
    [Fact]
    public void Queueing_and_taking_lines_allocates_nothing_in_steady_state()
    {
        var connection = new WriterlessConnection();
        byte[] line = "PRIVMSG #room :hello"u8.ToArray();
        var batch = new List<ArraySegment<byte>>(TransportConnection.MaxSegmentsPerWrite);
        for (int i = 0; i < 100; i++)
            connection.Deliver(line, 16, batch); // warm-up: JIT, the pool's per-thread arrays

        long before = GC.GetAllocatedBytesForCurrentThread();
        long written = 0;
        for (int i = 0; i < 1000; i++)
            written += connection.Deliver(line, 16, batch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000L * 16 * line.Length, written); // every line went through
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_thousand_clients_holding_lines_at_once_allocate_nothing_in_steady_state()
    {
        // Fan-out with the coalescing window: every recipient of a room holds a line (and so a ring) before any
        // writer runs. A pool that keeps a few arrays per core (ArrayPool.Shared) allocates a ring per recipient
        // per round here.
        var connections = Enumerable.Range(0, 1000).Select(_ => new WriterlessConnection()).ToArray();
        byte[] line = "PRIVMSG #room :hello"u8.ToArray();
        var batch = new List<ArraySegment<byte>>(TransportConnection.MaxSegmentsPerWrite);
        for (int round = 0; round < 3; round++)
            AllHoldThenWrite(connections, line, batch); // warm-up: JIT, the pool's rings

        long before = GC.GetAllocatedBytesForCurrentThread();
        long written = 0;
        for (int round = 0; round < 20; round++)
            written += AllHoldThenWrite(connections, line, batch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(20L * connections.Length * 2 * line.Length, written);
        Assert.Equal(0, allocated);
    }

    private static long AllHoldThenWrite(WriterlessConnection[] connections, byte[] line, List<ArraySegment<byte>> batch)
    {
        foreach (WriterlessConnection connection in connections)
            connection.Queue(line, 2);
        long written = 0;
        foreach (WriterlessConnection connection in connections)
            written += connection.WriteAll(batch);
        return written;
    }

    private sealed class WriterlessConnection : TransportConnection
    {
        public WriterlessConnection()
            : base(null, new TransportContext(new ServerOptions { Mode = ConnectionMode.Async }, new ChatMetrics(), TimeProvider.System, NullLogger.Instance))
        {
        }

        // Queues `lines` copies of the line, then runs one writer turn as a model's writer does; returns its bytes.
        public long Deliver(byte[] line, int lines, List<ArraySegment<byte>> batch)
        {
            Queue(line, lines);
            return WriteAll(batch);
        }

        public void Queue(byte[] line, int lines)
        {
            for (int i = 0; i < lines; i++)
                Send(line);
        }

        // One writer turn: everything queued in one write, then idle; returns its bytes (-1 = not as expected).
        public long WriteAll(List<ArraySegment<byte>> batch)
        {
            // No Assert in here: xunit's comparers allocate, and this runs inside the measurement.
            if (TakeBatch(batch, out long bytes) != WriterStep.Write)
                return -1;
            batch.Clear();
            BatchWritten(bytes);
            if (TakeBatch(batch, out _) != WriterStep.Idle)
                return -1;
            return bytes;
        }

        protected override void StartIo() { }
        protected override void WakeWriter() { }
        protected override void ResetSocket() { }
        protected override int KernelReceiveQueueBytes => 0;
    }
}
