using System.Net.Sockets;

namespace ChatLoad.LoadClient;

/// <summary>A client operation failed for a reason a report can group by (<see cref="Status"/>).</summary>
public sealed class LoadClientException(string status, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Short, stable status code: "refused", "timeout", "server full", "reset", "closed", "nick in use" ...</summary>
    public string Status { get; } = status;
}

/// <summary>Maps what went wrong on a connection to the statuses reports count failures by.</summary>
public static class FailureReasons
{
    /// <summary>Nothing listens at the target (TCP RST to the SYN).</summary>
    public const string Refused = "refused";

    /// <summary>A connect or an awaited reply took longer than its timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The server refused the client: <c>ERROR :Server full</c>.</summary>
    public const string ServerFull = "server full";

    /// <summary>The connection was reset.</summary>
    public const string Reset = "reset";

    /// <summary>The server closed the connection.</summary>
    public const string Closed = "closed";

    /// <summary>The server dropped the client as a slow consumer: <c>ERROR :SendQ exceeded</c>.</summary>
    public const string SendQueueExceeded = "sendq exceeded";

    /// <summary>No ephemeral port left for the source address (spread clients with <see cref="SourceAddressPlan"/>).</summary>
    public const string NoLocalPort = "no local port";

    /// <summary>The generator hit its open-file limit.</summary>
    public const string FileLimit = "fd limit";

    /// <summary>The server's flood control closed the client (<c>ERROR :Excess flood</c>): a load test against a server
    /// with its default flood control measures that policy, not the server; start it with <c>--flood-control off</c>.</summary>
    public const string ExcessFlood = "excess flood (server flood control is on: start it with --flood-control off)";

    /// <summary>The server's per-address connection limit refused the client (<c>ERROR :Too many connections from your
    /// address</c>): every generated client comes from 127.0.0.x, so a load test must lift it on the server.</summary>
    public const string PerAddressLimit =
        "too many connections per address (server's per-address limit: start it with --max-connections-per-address 0, or exempt the generator with --per-address-exempt)";

    /// <summary>The server's per-address connect throttle refused the client (<c>ERROR :Connecting too fast from your address</c>).</summary>
    public const string ConnectThrottled =
        "connect throttled (server's per-address throttle: start it with --connect-burst-per-address 0, or exempt the generator with --per-address-exempt)";

    /// <summary>The server was out of file descriptors (<c>ERROR :Server out of file descriptors</c>).</summary>
    public const string ServerOutOfDescriptors = "server out of descriptors";

    /// <summary>Every reason <see cref="Classify(Exception)"/> can give.</summary>
    public static readonly IReadOnlyList<string> All =
        [Refused, Timeout, ServerFull, Reset, Closed, SendQueueExceeded, NoLocalPort, FileLimit, ExcessFlood, PerAddressLimit, ConnectThrottled, ServerOutOfDescriptors, "error"];

    /// <summary>The status for an exception a client operation threw.</summary>
    public static string Classify(Exception e) => e switch
    {
        LoadClientException lce => lce.Status,
        OperationCanceledException or TimeoutException => Timeout,
        SocketException se => Classify(se.SocketErrorCode),
        IOException { InnerException: SocketException se } => Classify(se.SocketErrorCode),
        ObjectDisposedException => Closed,
        _ => "error: " + e.GetType().Name,
    };

    /// <summary>The status for a socket error.</summary>
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
        if (text.Contains("Excess flood", StringComparison.OrdinalIgnoreCase))
            return ExcessFlood;
        if (text.Contains("Too many connections from your address", StringComparison.OrdinalIgnoreCase))
            return PerAddressLimit;
        if (text.Contains("Connecting too fast", StringComparison.OrdinalIgnoreCase))
            return ConnectThrottled;
        if (text.Contains("out of file descriptors", StringComparison.OrdinalIgnoreCase))
            return ServerOutOfDescriptors;
        if (text.Contains("Ping timeout", StringComparison.OrdinalIgnoreCase))
            return "ping timeout";
        return Closed;
    }
}
