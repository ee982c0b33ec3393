using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>
/// Input pipes shared by the async connections. A connection holds a pipe only while it has unread
/// input (a burst, or a partial line waiting for its end) and returns it when drained, so thousands of idle
/// clients cost no pipe each (~500 bytes apiece, measured) — the async model's memory edge is the point of it.
/// </summary>
internal sealed class PipePool
{
    /// <summary>The one pool of the process: every async listener shares it.</summary>
    public static PipePool Shared { get; } = new();

    /// <summary>Pipes kept for reuse; beyond it a returned pipe is left to the GC. Enough for every client busy at once on this 2-core machine many times over.</summary>
    public const int MaxPooled = 1024;

    /// <summary>
    /// Pause threshold: a guard, never reached in normal operation, because the receive loop drains the pipe
    /// before it reads the socket again (at most one receive plus a 511-byte partial line is ever unread).
    /// </summary>
    internal const int MaxInputBufferBytes = 16 * 1024;

    private static readonly PipeOptions Options = new(
        pauseWriterThreshold: MaxInputBufferBytes,
        resumeWriterThreshold: MaxInputBufferBytes / 2,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        minimumSegmentSize: SocketConnection.MinimumReceiveBytes,
        useSynchronizationContext: false);

    private readonly ConcurrentQueue<Pipe> _pipes = new();
    private int _count;

    public Pipe Rent()
    {
        if (_pipes.TryDequeue(out Pipe? pipe))
        {
            Interlocked.Decrement(ref _count);
            return pipe;
        }
        return new Pipe(Options);
    }

    /// <summary>Completes both ends (returning the pipe's buffers to the array pool), resets, and keeps it for the next connection.</summary>
    public void Return(Pipe pipe)
    {
        pipe.Reader.Complete();
        pipe.Writer.Complete();
        pipe.Reset();
        if (Interlocked.Increment(ref _count) <= MaxPooled)
            _pipes.Enqueue(pipe);
        else
            Interlocked.Decrement(ref _count);
    }
}
