using System.Text;

namespace ChatLoad.Server.Transports;

/// <summary>The few lines a transport writes itself: closing <c>ERROR</c> lines, encoded once.</summary>
internal static class ServerReplies
{
    public const string ServerFullReason = "Server full";
    public const string SendQueueExceededReason = "SendQ exceeded";

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
        // Strip CR/LF so a reason can never inject a second line; cap so the line stays within 512 bytes.
        string clean = reason.Replace('\r', ' ').Replace('\n', ' ');
        if (clean.Length > 400)
            clean = clean[..400];
        return Encoding.UTF8.GetBytes("ERROR :" + clean + "\r\n");
    }
}
