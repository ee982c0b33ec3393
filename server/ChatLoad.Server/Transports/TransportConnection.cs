using System.Net;
using ChatLoad.Server.Collections;

namespace ChatLoad.Server.Transports;

/// <summary>
/// What both connection models share, socket-free: the outbound state machine (bounded SendQ, "the ERROR line,
/// then close" once, the close deadline, FIN or RST recorded — TransportConnection.Outbound.cs), the input pause
/// the core asks for (TransportConnection.Input.cs), and the end of a connection told exactly once (here).
/// A model supplies only its I/O: how to read, how to "write these segments" (blocking on a thread of the
/// client's own in Threads/, async on the thread pool in Pipelines/), how to wake its writer and how to reset.
/// </summary>
/// <remarks>
/// Nothing here touches a socket, so the state machine runs in unit tests on fake time, and a model can run it
/// over another byte stream (TLS through SslStream) by supplying the same few I/O members.
/// </remarks>
internal abstract partial class TransportConnection : IClientConnection, IntrusiveList<TransportConnection>.IMember
{
    private IntrusiveList<TransportConnection>.Links _registryLinks; // its place in the listener's ConnectionRegistry

    ref IntrusiveList<TransportConnection>.Links IntrusiveList<TransportConnection>.IMember.Links => ref _registryLinks;

    protected TransportConnection(EndPoint? remoteEndPoint, TransportContext context)
    {
        Context = context;
        Id = ConnectionIds.Next();
        RemoteEndPoint = remoteEndPoint;
    }

    public long Id { get; }

    public EndPoint? RemoteEndPoint { get; }

    protected TransportContext Context { get; }

    private IConnectionSession? _session;
    private bool _sessionTold; // guarded by the connection's lock: OnDisconnected ran

    /// <summary>The core's side of this connection (set by <see cref="Start"/>).</summary>
    protected IConnectionSession Session => _session!;

    /// <summary>
    /// Starts the connection's I/O for <paramref name="session"/> (the listener calls it right after
    /// <see cref="IConnectionAcceptor.OnConnected"/>). Whatever happens, <see cref="Finish"/> runs once later.
    /// </summary>
    public void Start(IConnectionSession session)
    {
        _session = session;
        StartIo();
    }

    /// <summary>The model's part of <see cref="Start"/>: its read loop and, in the threads model, its threads.</summary>
    protected abstract void StartIo();

    /// <summary>
    /// Resets the connection at once (RST), without flushing: the last stage of shutdown. Idempotent.
    /// </summary>
    public void Abort()
    {
        if (TryEndAbruptly(ConnectionEnd.Shutdown))
            ResetSocket();
    }

    /// <summary>Wakes this connection's writer: the queue has bytes (or news) and the writer was idle.</summary>
    protected abstract void WakeWriter();

    /// <summary>Closes the socket abortively (RST, unsent bytes dropped); wakes any blocked read or write.</summary>
    protected abstract void ResetSocket();

    /// <summary>
    /// The connection is over (the model's read side has ended and its socket is closed): tells the session if
    /// nobody has yet, logs how it ended (FIN or RST and why), then tells the listener. Runs once.
    /// </summary>
    protected void Finish(string transportReason)
    {
        StopOutbound();
        TellSession(transportReason);
        ConnectionEnd end;
        string reason;
        long unsent;
        lock (this)
        {
            if (_finished)
                return;
            _finished = true;
            end = _end;
            reason = _closeReason ?? transportReason;
            unsent = _unsentAtEnd;
        }
        LogEnd(end, reason, transportReason, unsent);
        Context.Metrics.ConnectionClosed();
        Context.ConnectionEnded(this);
    }

    /// <summary>
    /// The session hears that the connection is gone — exactly once, with the close reason when there was one —
    /// as soon as that is so for the client: when the ERROR line and FIN have been written (the socket may linger
    /// a little longer for the peer to close), or when the read side ends. May come from another thread than the
    /// lines do (the writer's); the session orders the two.
    /// </summary>
    protected void TellSession(string transportReason)
    {
        string reason;
        lock (this)
        {
            if (_sessionTold || _session is null)
                return;
            _sessionTold = true;
            reason = _closeReason ?? transportReason;
        }
        try
        {
            _session.OnDisconnected(reason);
        }
        catch (Exception ex)
        {
            // A bug in the core must cost one connection, never the process.
            TransportLog.ConnectionFailed(Context.Logger, Id, ex);
        }
    }

    private void LogEnd(ConnectionEnd end, string reason, string transportReason, long unsent)
    {
        switch (end)
        {
            case ConnectionEnd.Fin:
                TransportLog.ClosedWithFin(Context.Logger, Id, reason);
                break;
            case ConnectionEnd.Deadline when unsent == 0:
                TransportLog.PeerDidNotClose(Context.Logger, Id, Context.CloseTimeout.TotalMilliseconds, reason);
                break;
            case ConnectionEnd.Deadline:
                TransportLog.ResetAtDeadline(Context.Logger, Id, Context.CloseTimeout.TotalMilliseconds, unsent, reason);
                break;
            case ConnectionEnd.WriteError:
                TransportLog.ResetAfterWriteError(Context.Logger, Id, reason);
                break;
            case ConnectionEnd.Shutdown:
                TransportLog.ResetAtShutdown(Context.Logger, Id, reason);
                break;
            default:
                TransportLog.Ended(Context.Logger, Id, transportReason, unsent);
                break;
        }
    }
}

/// <summary>How a connection ended: the one fact its closing log line states.</summary>
internal enum ConnectionEnd : byte
{
    /// <summary>Not decided yet; at the end: the peer (or a read error) ended it first.</summary>
    None,

    /// <summary>Graceful: everything including the ERROR line was written, FIN sent, and the peer closed too.</summary>
    Fin,

    /// <summary>The close deadline passed first: reset (RST).</summary>
    Deadline,

    /// <summary>A write failed: reset (RST).</summary>
    WriteError,

    /// <summary>The server's shutdown aborted it: reset (RST).</summary>
    Shutdown,
}
