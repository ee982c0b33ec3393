using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>The async transport's log messages (event ids 300–399).</summary>
internal static partial class PipelinesLog
{
    [LoggerMessage(300, LogLevel.Warning, "Accept failed ({SocketError}); retrying")]
    public static partial void AcceptFailed(ILogger logger, SocketError socketError);

    [LoggerMessage(301, LogLevel.Warning, "Server full ({Limit} connections): refusing a client")]
    public static partial void ServerFull(ILogger logger, int limit);

    [LoggerMessage(302, LogLevel.Error, "Could not admit an accepted connection")]
    public static partial void AdmitFailed(ILogger logger, Exception exception);

    [LoggerMessage(303, LogLevel.Error, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(304, LogLevel.Information, "Connection {ConnectionId}: SendQ exceeded ({BacklogBytes} bytes queued); closing")]
    public static partial void SlowConsumer(ILogger logger, long connectionId, long backlogBytes);
}
