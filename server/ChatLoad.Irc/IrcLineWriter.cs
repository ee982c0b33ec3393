using System.Buffers;
using System.Text;

namespace ChatLoad.Irc;

/// <summary>
/// Writes IRC lines into an <see cref="IBufferWriter{T}"/> (Bedrock's <c>WriteMessage</c> shape). Output is always
/// CRLF-terminated and truncated to <see cref="IrcLimits.MaxLineBytes"/> so a line we send is one a client accepts.
/// </summary>
public static class IrcLineWriter
{
    /// <summary>Writes <c>[:source ]command params... [:trailing]\r\n</c>. The last parameter is written as trailing
    /// when it is empty, contains a space or starts with ':'.</summary>
    public static int Write(IBufferWriter<byte> output, string? source, string command, params ReadOnlySpan<string> parameters)
    {
        Span<byte> line = output.GetSpan(IrcLimits.MaxLineBytes);
        int n = Format(line, source, command, parameters);
        output.Advance(n);
        return n;
    }

    /// <summary>Formats one line into <paramref name="destination"/> (at least <see cref="IrcLimits.MaxLineBytes"/> long);
    /// returns the byte count, CRLF included.</summary>
    public static int Format(Span<byte> destination, string? source, string command, params ReadOnlySpan<string> parameters)
    {
        var body = destination[..IrcLimits.MaxLineBodyBytes];
        int n = 0;
        if (!string.IsNullOrEmpty(source))
        {
            n += Append(body[n..], ":");
            n += Append(body[n..], source);
            n += Append(body[n..], " ");
        }
        n += Append(body[n..], command);
        for (int i = 0; i < parameters.Length; i++)
        {
            string p = parameters[i];
            bool last = i == parameters.Length - 1;
            n += Append(body[n..], " ");
            if (last && (p.Length == 0 || p.Contains(' ') || p[0] == ':'))
                n += Append(body[n..], ":");
            n += Append(body[n..], p);
        }
        destination[n++] = (byte)'\r';
        destination[n++] = (byte)'\n';
        return n;
    }

    /// <summary>Formats into a new array: for replies built once and shared by every recipient.</summary>
    public static byte[] ToArray(string? source, string command, params ReadOnlySpan<string> parameters)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        int n = Format(buffer, source, command, parameters);
        return buffer[..n].ToArray();
    }

    // Truncates at the line limit, never in the middle of a UTF-8 sequence.
    private static int Append(Span<byte> destination, string text)
    {
        if (destination.IsEmpty)
            return 0;
        if (Encoding.UTF8.TryGetBytes(text, destination, out int written))
            return written;
        Encoding.UTF8.GetEncoder().Convert(text, destination, flush: true, out _, out written, out _);
        return written;
    }
}
