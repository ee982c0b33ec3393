using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Transports.Admission;
using ChatLoad.Server.Transports.Tls;

namespace ChatLoad.Server.Transports.Threads;

/// <summary>
/// One client of the threads model: a blocking socket and two threads that belong to this client alone — a read
/// thread (<see cref="RunReceiveThread"/>, BlockingConnection.Receive.cs) that frames lines and runs the core for
/// them, and a writer thread (BlockingConnection.Writer.cs) that drains the client's SendQ with blocking
/// vectored sends. Nothing here is async and no thread-pool thread ever touches the socket.
/// </summary>
/// <remarks>
/// Why a writer thread: a thread that writes to a client blocks for as long as that client does not read. With
/// one thread per client, the sender's read thread had to write to every recipient itself, and a recipient that
/// stopped reading stalled the sender (and everyone after it in the fan-out) for up to the send timeout. With a
/// writer of its own, a slow reader stalls only its own writer, and a sender only queues. The cost is the model's
/// real cost and is stated, not hidden: two threads per client, so the thread ceiling is half of what one
/// thread per client would allow (<see cref="ConnectionCeiling.ThreadsPerClient"/>).
/// </remarks>
internal sealed partial class BlockingConnection : TransportConnection
{
    /// <summary>
    /// Stack reserved for the read thread, which runs the core. Linux's 8 MiB default is far more than a receive
    /// loop that frames lines and calls the core needs; 256 KiB still leaves a wide margin over the deepest path
    /// (logging, formatting, a stackalloc'd line). Measured with 1,000 clients (Release): the default reserves
    /// +8,409 KiB of address space per client, 256 KiB reserves +473 KiB; RSS and memory mappings (4 per thread)
    /// are the same either way, so the ceiling does not move — only the address space is spared.
    /// </summary>
    internal const int ReceiveThreadStackBytes = 256 * 1024;

    /// <summary>Stack reserved for the writer thread: it only takes batches, sends and logs.</summary>
    internal const int WriterThreadStackBytes = 128 * 1024;

    /// <summary>How long the read thread waits for the writer thread to stop once the socket is shut.</summary>
    internal static readonly TimeSpan WriterStopTimeout = TimeSpan.FromSeconds(10);

    private static readonly LogThrottle s_threadStartFailureLog = new(ConnectionListener.AcceptFailureLogInterval);

    private readonly Socket _socket;
    private readonly TlsChannel? _tls; // the TLS port's connections: every read and write goes through it
    private Thread? _writer;

    public BlockingConnection(Socket socket, EndPoint? remoteEndPoint, TransportContext context, TlsEndpoint? tls = null)
        : base(remoteEndPoint, context)
    {
        _socket = socket;
        socket.NoDelay = true;
        if (tls is not null)
            _tls = new TlsChannel(socket, tls);
    }

    /// <summary>Starts the writer thread, then the read thread. If the OS gives no thread, the client is refused.</summary>
    protected override void StartIo()
    {
        try
        {
            var writer = new Thread(RunWriterThread, WriterThreadStackBytes) { IsBackground = true, Name = "chatload-send" };
            writer.Start();
            _writer = writer;
            var receiver = new Thread(RunReceiveThread, ReceiveThreadStackBytes) { IsBackground = true, Name = "chatload-recv" };
            receiver.Start();
        }
        catch (Exception ex) when (ex is OutOfMemoryException or ThreadStartException or ThreadStateException)
        {
            // The admission ceiling should make this impossible; if the OS still says no, refuse this client
            // rather than fail the process, with the true reason: the runtime needs a descriptor to start a thread,
            // so at the open-file limit Thread.Start fails (OutOfMemoryException) though memory is plentiful.
            AdmissionRefusal refusal = ConnectionCeiling.AreDescriptorsExhausted() ? AdmissionRefusal.OutOfDescriptors : AdmissionRefusal.NoThreads;
            if (refusal == AdmissionRefusal.OutOfDescriptors)
                Context.DescriptorsExhausted();
            if (s_threadStartFailureLog.ShouldLog(Context.Time, out int suppressed))
                TransportLog.ThreadStartFailed(Context.Logger, Id, refusal.Reason, suppressed, ex);
            Context.Metrics.ConnectionRefused(refusal.Kind);
            StopOutbound();
            JoinWriter();
            _tls?.Dispose();
            ConnectionRefusal.Refuse(_socket, refusal.Reason);
            Finish(refusal.Reason);
        }
    }

    protected override int KernelReceiveQueueBytes => KernelQueue.ReceiveBytes(_socket);

    /// <summary>RST: linger 0 then close, which also wakes this client's blocked read and write at once.</summary>
    protected override void ResetSocket()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    private void JoinWriter()
    {
        if (_writer is { } writer && !writer.Join(WriterStopTimeout))
            TransportLog.WriterDidNotStop(Context.Logger, Id, (int)WriterStopTimeout.TotalMilliseconds);
    }
}
