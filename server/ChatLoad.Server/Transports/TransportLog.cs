using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports;

/// <summary>The transports' log messages, shared by both models (event ids 200–299).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(200, LogLevel.Warning, "Accept failed ({SocketError}); retrying in {BackoffMs} ms")]
    public static partial void AcceptFailed(ILogger logger, SocketError socketError, int backoffMs);

    [LoggerMessage(201, LogLevel.Warning, "Refusing a client from {RemoteEndPoint}: {Reason} ({Limit} connections)")]
    public static partial void Refused(ILogger logger, string remoteEndPoint, string reason, int limit);

    [LoggerMessage(202, LogLevel.Error, "Connection {ConnectionId}: could not start its threads; refused")]
    public static partial void ThreadStartFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(203, LogLevel.Error, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(204, LogLevel.Information, "Connection {ConnectionId}: SendQ exceeded ({BacklogBytes} bytes queued); closing")]
    public static partial void SendQueueExceeded(ILogger logger, long connectionId, long backlogBytes);

    [LoggerMessage(205, LogLevel.Error, "Could not admit an accepted connection")]
    public static partial void AdmitFailed(ILogger logger, Exception exception);

    [LoggerMessage(206, LogLevel.Debug, "Connection {ConnectionId} closed gracefully (ERROR sent, then FIN; the peer closed too): {Reason}")]
    public static partial void ClosedWithFin(ILogger logger, long connectionId, string reason);

    [LoggerMessage(207, LogLevel.Information,
        "Connection {ConnectionId} reset (RST): the close deadline of {DeadlineMs:F0} ms passed with {UnsentBytes} bytes unsent: {Reason}")]
    public static partial void ResetAtDeadline(ILogger logger, long connectionId, double deadlineMs, long unsentBytes, string reason);

    [LoggerMessage(208, LogLevel.Debug, "Connection {ConnectionId} reset (RST) after a write failed: {Reason}")]
    public static partial void ResetAfterWriteError(ILogger logger, long connectionId, string reason);

    [LoggerMessage(209, LogLevel.Debug, "Connection {ConnectionId} reset (RST) by the server's shutdown: {Reason}")]
    public static partial void ResetAtShutdown(ILogger logger, long connectionId, string reason);

    [LoggerMessage(210, LogLevel.Debug, "Connection {ConnectionId} ended: {How}; {UnsentBytes} bytes were not written")]
    public static partial void Ended(ILogger logger, long connectionId, string how, long unsentBytes);

    [LoggerMessage(212, LogLevel.Information,
        "Connection {ConnectionId} reset (RST): ERROR and FIN were sent, but the peer had not closed when the close deadline of {DeadlineMs:F0} ms passed: {Reason}")]
    public static partial void PeerDidNotClose(ILogger logger, long connectionId, double deadlineMs, string reason);

    [LoggerMessage(211, LogLevel.Warning, "Connection {ConnectionId}: its writer thread did not stop within {TimeoutMs} ms")]
    public static partial void WriterDidNotStop(ILogger logger, long connectionId, int timeoutMs);
}
