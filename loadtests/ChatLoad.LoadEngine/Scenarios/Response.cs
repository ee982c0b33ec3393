namespace ChatLoad.LoadEngine;

/// <summary>The outcome of one iteration or one step: ok or fail, with a status, a size and an optional message.</summary>
/// <remarks>A small readonly struct so recording a result allocates nothing on the hot path.</remarks>
public readonly record struct Response(bool IsError, string StatusCode, long SizeBytes, string? Message, long BytesSent = 0)
{
    public static Response Ok(string statusCode = "ok", long sizeBytes = 0, long bytesSent = 0, string? message = null) =>
        new(false, statusCode, sizeBytes, message, bytesSent);

    public static Response Fail(string statusCode = "fail", string? message = null, long sizeBytes = 0, long bytesSent = 0) =>
        new(true, statusCode, sizeBytes, message, bytesSent);
}
