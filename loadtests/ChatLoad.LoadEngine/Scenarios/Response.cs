namespace ChatLoad.LoadEngine;

/// <summary>The outcome of one iteration or one step: ok or fail, with a status, a size and an optional message.</summary>
/// <remarks>A small readonly struct so recording a result allocates nothing on the hot path. NBomber's
/// <c>Response.Ok()</c> / <c>Response.Fail()</c>; the payload and custom latency of NBomber's are not carried.</remarks>
/// <param name="IsError">True for a failure.</param>
/// <param name="StatusCode">Groups results in the report ("ok", "timeout", "refused", "200" ...).</param>
/// <param name="SizeBytes">Bytes received (the report's data transfer in).</param>
/// <param name="Message">Why it failed; the report shows a sample per status.</param>
/// <param name="BytesSent">Bytes sent (the report's data transfer out).</param>
public readonly record struct Response(bool IsError, string StatusCode, long SizeBytes, string? Message, long BytesSent = 0)
{
    /// <summary>A success.</summary>
    public static Response Ok(string statusCode = "ok", long sizeBytes = 0, string? message = null, long bytesSent = 0) =>
        new(false, statusCode, sizeBytes, message, bytesSent);

    /// <summary>A failure; <paramref name="statusCode"/> groups it in the report and in <c>fail%</c>.</summary>
    public static Response Fail(string statusCode = "fail", string? message = null, long sizeBytes = 0, long bytesSent = 0) =>
        new(true, statusCode, sizeBytes, message, bytesSent);
}
