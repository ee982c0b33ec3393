using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Chat;

/// <summary>The chat core's log messages, source-generated, with stable event ids (1000–1099).</summary>
internal static partial class ChatLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Connection {ConnectionId} from {RemoteEndPoint} opened a session")]
    public static partial void SessionOpened(ILogger logger, long connectionId, string remoteEndPoint);

    [LoggerMessage(1001, LogLevel.Debug, "Connection {ConnectionId} registered as {Nick}")]
    public static partial void ClientRegistered(ILogger logger, long connectionId, string nick);

    [LoggerMessage(1002, LogLevel.Debug, "Connection {ConnectionId} ({Nick}) left: {Reason}")]
    public static partial void ClientDeparted(ILogger logger, long connectionId, string nick, string reason);

    [LoggerMessage(1004, LogLevel.Debug, "Connection {ConnectionId} ({Nick}) closed: {Reason}")]
    public static partial void ClosingConnection(ILogger logger, long connectionId, string nick, string reason);

    [LoggerMessage(1005, LogLevel.Error, "Connection {ConnectionId}: handling {Command} failed; the line was dropped")]
    public static partial void CommandFailed(ILogger logger, Exception exception, long connectionId, string command);

    [LoggerMessage(1006, LogLevel.Information, "Closing {Count} client connections: {Reason}")]
    public static partial void ClosingAll(ILogger logger, int count, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "{Count} client connections were still open when the shutdown wait ended")]
    public static partial void ClientsStillOpen(ILogger logger, int count);

    [LoggerMessage(1008, LogLevel.Information, "Idle sweep every {Period}: ping after {PingInterval} idle, drop after {PingTimeout} without answer, registration within {RegistrationTimeout}")]
    public static partial void SweepStarted(ILogger logger, TimeSpan period, TimeSpan pingInterval, TimeSpan pingTimeout, TimeSpan registrationTimeout);

    [LoggerMessage(1009, LogLevel.Error, "The idle sweep failed; it runs again next period")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(1010, LogLevel.Information, "Connection {ConnectionId} ({Prefix}) became IRC operator {OperName}")]
    public static partial void OperSucceeded(ILogger logger, long connectionId, string prefix, string operName);

    [LoggerMessage(1011, LogLevel.Warning, "Connection {ConnectionId} ({Prefix}) failed OPER as {OperName}")]
    public static partial void OperFailed(ILogger logger, long connectionId, string prefix, string operName);

    [LoggerMessage(1012, LogLevel.Information, "Connection {ConnectionId} ({Prefix}) killed by {Killer}: {Reason}")]
    public static partial void Killed(ILogger logger, long connectionId, string prefix, string killer, string reason);
}
