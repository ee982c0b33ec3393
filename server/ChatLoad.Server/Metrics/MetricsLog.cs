using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Metrics;

/// <summary>The metrics endpoint's log messages (event ids 400–499).</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(400, LogLevel.Information, "Metrics endpoint: {Url} (at most {MaxConnections} connections, {RequestTimeout} per request)")]
    public static partial void EndpointStarted(ILogger logger, string url, int maxConnections, TimeSpan requestTimeout);

    [LoggerMessage(401, LogLevel.Critical, "Cannot serve metrics on {Bind}:{Port}: {Reason}")]
    public static partial void EndpointFailed(ILogger logger, string bind, int port, string reason);

    [LoggerMessage(402, LogLevel.Warning, "Metrics connection refused with 503: {MaxConnections} are open already ({Suppressed} more refused since the last such line)")]
    public static partial void ConnectionRefused(ILogger logger, int maxConnections, int suppressed);

    [LoggerMessage(403, LogLevel.Warning, "Metrics request dropped: not complete within {Timeout}")]
    public static partial void RequestTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(404, LogLevel.Warning, "Metrics accept failed ({Error}); retrying every {Delay}, serving the connections already open")]
    public static partial void AcceptFailed(ILogger logger, SocketError error, TimeSpan delay);

    [LoggerMessage(405, LogLevel.Error, "Metrics request failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception);
}
