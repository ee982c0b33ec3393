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

    private sealed class WriterlessConnection : TransportConnection
    {
        public WriterlessConnection()
            : base(null, new TransportContext(new ServerOptions { Mode = ConnectionMode.Async }, new ChatMetrics(), TimeProvider.System, NullLogger.Instance))
        {
        }

        // Queues `lines` copies of the line, then runs one writer turn as a model's writer does; returns its bytes.
        public long Deliver(byte[] line, int lines, List<ArraySegment<byte>> batch)
        {
            for (int i = 0; i < lines; i++)
                Send(line);
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
