using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatLoad.Server.Benchmarks;

/// <summary>
/// The shared outbound state machine with no socket under it: <see cref="WriteOnce"/> does what a model's writer
/// does around its write (take a batch, report it written), so Send and the writer's bookkeeping are measured alone.
/// </summary>
internal sealed class BenchConnection : TransportConnection
{
    private sealed class NullSession : IConnectionSession
    {
        public void OnLine(ReadOnlySpan<byte> line) { }
        public void OnLineTooLong() { }
        public void OnInputResumed() { }
        public void OnDisconnected(string reason) { }
    }

    public BenchConnection(ServerOptions options)
        : base(null, new TransportContext(options, new ChatMetrics(), TimeProvider.System, NullLogger.Instance))
    {
        Start(new NullSession());
    }

    /// <summary>One writer turn: takes what is queued as one batch and reports it written; returns its bytes.</summary>
    public long WriteOnce(List<ArraySegment<byte>> batch)
    {
        if (TakeBatch(batch, out long bytes) != WriterStep.Write)
            return 0;
        batch.Clear();
        BatchWritten(bytes);
        TakeBatch(batch, out _); // the writer's last look: nothing left, it goes idle (and the next Send wakes it)
        return bytes;
    }

    protected override void StartIo() { }
    protected override void WakeWriter() { }
    protected override void ResetSocket() { }
    protected override int KernelReceiveQueueBytes => 0;
}
