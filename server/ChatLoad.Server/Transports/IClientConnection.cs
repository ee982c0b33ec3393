using System.Net;

namespace ChatLoad.Server.Transports;

/// <summary>
/// One client connection as the chat core sees it: a way to queue bytes and a way to close. Both transports
/// (Threads/, Pipelines/) implement it; the core never touches a socket.
/// </summary>
public interface IClientConnection
{
    /// <summary>Unique per server process, for logs and metrics.</summary>
    long Id { get; }

    EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Queues one or more complete CRLF-terminated lines for this client and returns at once: it never blocks the
    /// caller on a slow client and never reorders (bytes from one caller go out in call order). The bytes may be
    /// shared by many recipients (serialized once per message), so the transport must neither change them nor
    /// keep them beyond sending. When the client's outbound backlog would pass the configured SendQ limit,
    /// the transport closes it with <c>ERROR :SendQ exceeded</c> and drops the bytes.
    /// </summary>
    void Send(ReadOnlyMemory<byte> lines);

    /// <summary>
    /// Sends <c>ERROR :<paramref name="reason"/></c> after what is already queued (best effort, bounded in time),
    /// then closes the connection gracefully (FIN). Idempotent; safe from any thread.
    /// </summary>
    void Close(string reason);
}

/// <summary>What a transport calls into: the chat core's side of one connection.</summary>
public interface IConnectionSession
{
    /// <summary>One complete line, CR/LF stripped, at most 510 bytes. Called in arrival order, never concurrently
    /// for one connection. The span is only valid during the call.</summary>
    void OnLine(ReadOnlySpan<byte> line);

    /// <summary>A line over 512 bytes arrived and was discarded (the core answers 417).</summary>
    void OnLineTooLong();

    /// <summary>The connection is gone (peer closed, error, or Close). Called exactly once.</summary>
    void OnDisconnected(string reason);
}

/// <summary>The chat core as the transports see it.</summary>
public interface IConnectionAcceptor
{
    /// <summary>
    /// Called for each accepted connection before any read. Returns the session that receives its lines, or
    /// null when the server is full (the transport then sends <c>ERROR :Server full</c> and closes).
    /// </summary>
    IConnectionSession? OnConnected(IClientConnection connection);
}
