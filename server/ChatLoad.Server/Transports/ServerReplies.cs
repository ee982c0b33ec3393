using ChatLoad.Irc;

namespace ChatLoad.Server.Transports;

/// <summary>The few lines a transport writes itself: closing <c>ERROR</c> lines, encoded once.</summary>
internal static class ServerReplies
{
    public const string ServerFullReason = "Server full";
    public const string SendQueueExceededReason = "SendQ exceeded";
    public const string TooManyFromAddressReason = "Too many connections from your address";
    public const string ConnectingTooFastReason = "Connecting too fast from your address";
    public const string OutOfDescriptorsReason = "Server out of file descriptors; try again later";
    public const string NoThreadsReason = "Server cannot start threads for more clients; try again later";
    public const string TooManyHandshakesReason = "Too many TLS handshakes in progress; try again later";

    public static readonly byte[] ServerFull = Encode(ServerFullReason);
    public static readonly byte[] SendQueueExceeded = Encode(SendQueueExceededReason);

    /// <summary><c>ERROR :reason\r\n</c>; common reasons come from a cache, others are encoded (closing is rare).</summary>
    public static byte[] Error(string reason) => reason switch
    {
        ServerFullReason => ServerFull,
        SendQueueExceededReason => SendQueueExceeded,
        _ => Encode(reason),
    };

    private static byte[] Encode(string reason)
    {
        // The one line builder every outgoing line goes through: CR, LF and NUL become spaces (no injected line),
        // and the line stops at 512 bytes without splitting a UTF-8 sequence (a quit reason can be long).
        var line = new IrcLineBuilder(stackalloc byte[IrcLimits.MaxLineBytes]);
        line.AppendCommand("ERROR");
        line.AppendTrailing(reason);
        return line.ToArray();
    }
}
