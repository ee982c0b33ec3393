using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports;

/// <summary>The transports' log messages, shared by both models (event ids 200–299).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(200, LogLevel.Warning,
        "Accept failed ({SocketError}; {Suppressed} more since the last warning): existing clients are served, waiting ones are refused with the reason (or retried after {BackoffMs} ms)")]
    public static partial void AcceptFailed(ILogger logger, SocketError socketError, int suppressed, int backoffMs);

    // Debug, not Warning: a connect flood would otherwise be a log flood. Refusals are counted by reason in
    // chatload_connections_refused{reason=...}.
    [LoggerMessage(201, LogLevel.Debug, "Refusing a client from {RemoteEndPoint}: {Reason} ({Admitted} of {Limit} connections admitted)")]
    public static partial void Refused(ILogger logger, string remoteEndPoint, string reason, int admitted, int limit);

    [LoggerMessage(202, LogLevel.Error, "Connection {ConnectionId}: could not start its threads; refused with '{Reason}' ({Suppressed} more since the last such line)")]
    public static partial void ThreadStartFailed(ILogger logger, long connectionId, string reason, int suppressed, Exception exception);

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

    [LoggerMessage(213, LogLevel.Warning,
        "Out of file descriptors with {Admitted} clients: {Spares} spare descriptors handed to the runtime; new clients are refused with the reason until descriptors are free again")]
    public static partial void DescriptorsExhausted(ILogger logger, int spares, int admitted);

    [LoggerMessage(214, LogLevel.Information, "File descriptors are free again ({Admitted} clients): admitting new clients")]
    public static partial void DescriptorsRecovered(ILogger logger, int admitted);

    [LoggerMessage(215, LogLevel.Error,
        "epoll_wait failed (errno {Errno}, {SocketError}; {Suppressed} more since the last such line): retried every {BackoffMs} ms; the async model's plain-TCP connections get no readiness meanwhile")]
    public static partial void EpollWaitFailed(ILogger logger, int errno, SocketError socketError, int suppressed, int backoffMs);
}
