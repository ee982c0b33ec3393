using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Threads;

/// <summary>The threads transport's log messages (event ids 200–299).</summary>
internal static partial class ThreadsLog
{
    [LoggerMessage(200, LogLevel.Warning, "Accept failed ({SocketError}); retrying")]
    public static partial void AcceptFailed(ILogger logger, SocketError socketError);

    [LoggerMessage(201, LogLevel.Warning, "Server full ({Limit} connections): refusing a client")]
    public static partial void ServerFull(ILogger logger, int limit);

    [LoggerMessage(202, LogLevel.Error, "Connection {ConnectionId}: could not start its thread; refused")]
    public static partial void ThreadStartFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(203, LogLevel.Error, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(204, LogLevel.Information, "Connection {ConnectionId}: SendQ exceeded ({BacklogBytes} bytes queued); closing")]
    public static partial void SlowConsumer(ILogger logger, long connectionId, long backlogBytes);

    [LoggerMessage(205, LogLevel.Information, "Connection {ConnectionId}: send timed out; closing as a slow consumer")]
    public static partial void SendTimedOut(ILogger logger, long connectionId);

    [LoggerMessage(206, LogLevel.Debug, "Connection {ConnectionId}: the core refused it (server full)")]
    public static partial void RefusedByCore(ILogger logger, long connectionId);
}
