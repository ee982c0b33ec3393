using System.Net.Sockets;

namespace ChatLoad.LoadTests.Client;

/// <summary>A client operation failed for a reason a report can group by (<see cref="Status"/>).</summary>
internal sealed class LoadClientException(string status, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Short, stable status code: "refused", "timeout", "server full", "reset", "closed", "nick in use" ...</summary>
    public string Status { get; } = status;
}

/// <summary>Maps what went wrong on a connection to the statuses reports count failures by.</summary>
internal static class FailureReasons
{
    public const string Refused = "refused";
    public const string Timeout = "timeout";
    public const string ServerFull = "server full";
    public const string Reset = "reset";
    public const string Closed = "closed";
    public const string SendQueueExceeded = "sendq exceeded";
    public const string NoLocalPort = "no local port";
    public const string FileLimit = "fd limit";

    /// <summary>Every reason <see cref="Classify(Exception)"/> can give.</summary>
    public static readonly IReadOnlyList<string> All = [Refused, Timeout, ServerFull, Reset, Closed, SendQueueExceeded, NoLocalPort, FileLimit, "error"];

    public static string Classify(Exception e) => e switch
    {
        LoadClientException lce => lce.Status,
        OperationCanceledException or TimeoutException => Timeout,
        SocketException se => Classify(se.SocketErrorCode),
        IOException { InnerException: SocketException se } => Classify(se.SocketErrorCode),
        ObjectDisposedException => Closed,
        _ => "error: " + e.GetType().Name,
    };

    public static string Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => Refused,
        SocketError.TimedOut => Timeout,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => Reset,
        SocketError.AddressNotAvailable or SocketError.AddressAlreadyInUse => NoLocalPort,
        SocketError.TooManyOpenSockets => FileLimit,
        _ => "socket " + error,
    };

    /// <summary>Turns the text of an IRC <c>ERROR</c> line into a status.</summary>
    public static string FromServerError(string text)
    {
        if (text.Contains("Server full", StringComparison.OrdinalIgnoreCase))
            return ServerFull;
        if (text.Contains("SendQ", StringComparison.OrdinalIgnoreCase))
            return SendQueueExceeded;
        if (text.Contains("Ping timeout", StringComparison.OrdinalIgnoreCase))
            return "ping timeout";
        return Closed;
    }
}
