using System.Text;

namespace ChatLoad.Server.Metrics;

/// <summary>The status a metrics request gets, decided from its request line alone.</summary>
internal enum MetricsResponseKind
{
    Exposition,
    BadRequest,
    NotFound,
    MethodNotAllowed,
}

/// <summary>
/// Reads the one thing the metrics endpoint needs from an HTTP/1.x request head: the request line. Headers are
/// skipped (the endpoint answers one resource, the same way to everyone, and closes after it), so there is nothing
/// in them a client could use to change what the server does.
/// </summary>
internal static class MetricsRequest
{
    /// <summary>The resource served; anything else is 404.</summary>
    public const string Path = "/metrics";

    /// <summary>Most bytes a request head may take; a longer one gets 431 (there is no reason for more than a few hundred).</summary>
    public const int MaxHeadBytes = 8192;

    /// <summary>Where the head ends (the index just past the blank line), or -1 when it is not complete yet.</summary>
    public static int FindEndOfHead(ReadOnlySpan<byte> received)
    {
        int crlf = received.IndexOf("\r\n\r\n"u8);
        int lf = received.IndexOf("\n\n"u8);
        if (crlf < 0)
            return lf < 0 ? -1 : lf + 2;
        return lf < 0 || crlf < lf ? crlf + 4 : lf + 2;
    }

    /// <summary>What to answer, and whether it is a HEAD request (headers only).</summary>
    public static MetricsResponseKind Classify(ReadOnlySpan<byte> head, out bool headOnly)
    {
        headOnly = false;
        int end = head.IndexOf((byte)'\n');
        ReadOnlySpan<byte> requestLine = end < 0 ? head : head[..end];
        if (requestLine.Length > 0 && requestLine[^1] == (byte)'\r')
            requestLine = requestLine[..^1];

        // METHOD SP request-target SP HTTP/1.x
        int firstSpace = requestLine.IndexOf((byte)' ');
        int lastSpace = requestLine.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace)
            return MetricsResponseKind.BadRequest;
        ReadOnlySpan<byte> method = requestLine[..firstSpace];
        ReadOnlySpan<byte> target = requestLine[(firstSpace + 1)..lastSpace];
        ReadOnlySpan<byte> version = requestLine[(lastSpace + 1)..];
        if (!version.StartsWith("HTTP/1."u8) || target.IsEmpty)
            return MetricsResponseKind.BadRequest;

        int query = target.IndexOf((byte)'?');
        if (query >= 0)
            target = target[..query];
        if (!target.SequenceEqual(Encoding.ASCII.GetBytes(Path)))
            return MetricsResponseKind.NotFound;
        if (method.SequenceEqual("HEAD"u8))
        {
            headOnly = true;
            return MetricsResponseKind.Exposition;
        }
        return method.SequenceEqual("GET"u8) ? MetricsResponseKind.Exposition : MetricsResponseKind.MethodNotAllowed;
    }
}
