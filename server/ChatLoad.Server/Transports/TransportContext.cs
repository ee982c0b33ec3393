using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports.Pipelines;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports;

/// <summary>
/// What every connection of one listener shares: its limits, clock, metrics, log and the listener's "this
/// connection is gone" callback. One reference per connection instead of one per item keeps the idle connection
/// small (the async model's memory per idle client is one of the figures this project measures).
/// </summary>
internal sealed class TransportContext
{
    public TransportContext(ServerOptions options, ChatMetrics metrics, TimeProvider time, ILogger logger)
    {
        SendQueueBytes = options.SendQueueBytes;
        CloseTimeout = options.SendTimeout;
        SendCoalescingWindow = options.SendCoalescingWindow;
        Metrics = metrics;
        Time = time;
        Logger = logger;
        Readiness = options.Mode == ConnectionMode.Async && options.SocketEngine == SocketEngine.Epoll ? EpollReadiness.Shared.UseLogger(logger) : null;
        _writerRunQueues = new WriterRunQueue[options.Mode == ConnectionMode.Threads ? 0 : Environment.ProcessorCount];
        for (int i = 0; i < _writerRunQueues.Length; i++)
            _writerRunQueues[i] = new WriterRunQueue(options.SendCoalescingWindow, time);
    }

    // The async model's woken writers, one run queue per core the process may use, so that on a bigger machine
    // passes run on several cores at once; the threads model has none (each client's writer is its own thread).
    private readonly WriterRunQueue[] _writerRunQueues;

    /// <summary>The async model's own readiness (ServerOptions.SocketEngine = epoll); null = .NET's engine (or the threads model).</summary>
    public EpollReadiness? Readiness { get; }

    /// <summary>SendQ: the most a client's backlog may hold (ServerOptions.SendQueueBytes).</summary>
    public int SendQueueBytes { get; }

    /// <summary>
    /// The close deadline (ServerOptions.SendTimeout): once a close is asked for, how long the ERROR line and the
    /// peer's own close may take before the connection is reset.
    /// </summary>
    public TimeSpan CloseTimeout { get; }

    /// <summary>
    /// ServerOptions.SendCoalescingWindow: the threads model's writers read it themselves (the async model's run
    /// queues are built with it).
    /// </summary>
    public TimeSpan SendCoalescingWindow { get; }

    /// <summary>The run queue of connection <paramref name="connectionId"/>'s writer (always the same one).</summary>
    public WriterRunQueue WriterRunQueueFor(long connectionId) => _writerRunQueues[(int)((ulong)connectionId % (ulong)_writerRunQueues.Length)];

    public ChatMetrics Metrics { get; }
    public TimeProvider Time { get; }
    public ILogger Logger { get; }

    /// <summary>Set by the listener: a connection has ended (after the session heard of it).</summary>
    public Action<TransportConnection> ConnectionEnded { get; set; } = static _ => { };

    /// <summary>Set by the listener: a connection found the process out of descriptors (its threads could not start).</summary>
    public Action DescriptorsExhausted { get; set; } = static () => { };
}
