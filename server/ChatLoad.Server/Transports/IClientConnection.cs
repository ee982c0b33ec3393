using System.Net;

namespace ChatLoad.Server.Transports;

/// <summary>
/// One client connection as the chat core sees it: a way to queue bytes, a way to close, and a way to stop
/// reading the client's input for a while. Both transports (Threads/, Pipelines/) implement it through
/// <see cref="TransportConnection"/>; the core never touches a socket.
/// </summary>
public interface IClientConnection
{
    /// <summary>Unique per server process, for logs and metrics.</summary>
    long Id { get; }

    EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Queues one or more complete CRLF-terminated lines for this client. The contract (ergo's socket.go):
    /// <list type="number">
    /// <item>It MUST NOT block: it returns at once whatever the client's socket is doing.</item>
    /// <item>It MUST NOT reorder: bytes from one caller go out in call order.</item>
    /// <item>It never writes on the caller's thread: the client's own writer does (a thread of its own in
    /// <c>threads</c>, a thread-pool work item in <c>async</c>), so calling it under a lock costs no socket work.</item>
    /// <item>It never reports a disconnect from inside the call (no <see cref="IConnectionSession.OnDisconnected"/>
    /// on the caller's stack).</item>
    /// <item>The bytes may be shared by many recipients (serialized once per message): the transport neither
    /// changes them nor keeps them beyond sending.</item>
    /// <item>When the client's backlog (<see cref="QueuedBytes"/> plus these) would pass the SendQ limit, the
    /// connection is closed with <c>ERROR :SendQ exceeded</c> and the bytes are dropped.</item>
    /// </list>
    /// </summary>
    void Send(ReadOnlyMemory<byte> lines);

    /// <summary>
    /// Sends <c>ERROR :<paramref name="reason"/></c> after what is already queued, then closes gracefully (FIN);
    /// if that has not happened within the close deadline (ServerOptions.SendTimeout) the connection is reset
    /// (RST). Idempotent; safe from any thread; never blocks.
    /// </summary>
    void Close(string reason);

    /// <summary>
    /// This client's outbound backlog in bytes: queued plus being written. Long replies read it to decide how
    /// much more to queue (see <see cref="PauseInputUntilDrained"/>).
    /// </summary>
    long QueuedBytes { get; }

    /// <summary>
    /// Stops handing this client's input to the session, after the line being handled, until its backlog is at
    /// most <paramref name="queuedBytesAtMost"/> bytes; then <see cref="IConnectionSession.OnInputResumed"/> runs
    /// before the next line. The client's bytes stay in the socket meanwhile, so TCP pushes back on it. Used to
    /// stream a long reply as the client reads it. Call only from the session's own line handling.
    /// </summary>
    /// <returns>True when input is now paused (or the connection is closing, so no more input comes at all);
    /// false when the backlog is already that low, so there is nothing to wait for.</returns>
    bool PauseInputUntilDrained(long queuedBytesAtMost);

    /// <summary>
    /// Stops handing this client's input to the session, after the line being handled, until the
    /// <see cref="TimeProvider"/> timestamp <paramref name="resumeAtTimestamp"/> (flood control: "throttled, input
    /// not read"); then <see cref="IConnectionSession.OnInputResumed"/> runs before the next line. When both kinds
    /// of pause are asked for, input resumes once both are over. Call only from the session's own line handling.
    /// </summary>
    void PauseInputUntil(long resumeAtTimestamp);

    /// <summary>
    /// Complete lines this client has sent that the transport holds, not yet given to the core (after the line being
    /// handled). While input is paused they wait there; flood control closes a throttled client once these and its
    /// held lines pass ServerOptions.FloodMaxQueuedLines.
    /// </summary>
    int UnreadInputLines { get; }

    /// <summary>
    /// Bytes this client has sent that wait in the kernel's receive buffer, unread (FIONREAD; for TLS, still
    /// encrypted). While input is paused it is what the client pushes against TCP's back-pressure: flood control closes
    /// a throttled client once it passes ServerOptions.FloodMaxUnreadBytes. One syscall: read it only when a line is held.
    /// </summary>
    long UnreadInputBytes { get; }
}

/// <summary>What a transport calls into: the chat core's side of one connection.</summary>
public interface IConnectionSession
{
    /// <summary>One complete line, CR/LF stripped, at most 510 bytes. Called in arrival order, never concurrently
    /// for one connection. The span is only valid during the call.</summary>
    void OnLine(ReadOnlySpan<byte> line);

    /// <summary>A line over 512 bytes arrived and was discarded (the core answers 417).</summary>
    void OnLineTooLong();

    /// <summary>
    /// A pause asked for with <see cref="IClientConnection.PauseInputUntilDrained"/> or
    /// <see cref="IClientConnection.PauseInputUntil"/> is over. Called on the input side (never concurrently with
    /// <see cref="OnLine"/>), before the next line; the session may pause again from here.
    /// </summary>
    void OnInputResumed();

    /// <summary>
    /// The connection is gone (peer closed, error, or Close: once the ERROR line is written). Called exactly once,
    /// possibly from another thread than <see cref="OnLine"/> (the connection's writer) while a line is still being
    /// handled: the session orders the two. No line is delivered after it.
    /// </summary>
    void OnDisconnected(string reason);
}

/// <summary>The chat core as the transports see it.</summary>
public interface IConnectionAcceptor
{
    /// <summary>
    /// Called for each admitted connection (admission is the transports' one <see cref="Admission.ConnectionAdmission"/>),
    /// on the accept loop, before any byte is read, in both models. Returns the session that receives its lines.
    /// </summary>
    IConnectionSession OnConnected(IClientConnection connection);
}
