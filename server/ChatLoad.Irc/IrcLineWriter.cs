using System.Buffers;

namespace ChatLoad.Irc;

/// <summary>
/// Writes IRC lines into an <see cref="IBufferWriter{T}"/> (Bedrock's <c>WriteMessage</c> shape). Output is always
/// CRLF-terminated and truncated to <see cref="IrcLimits.MaxLineBytes"/> so a line we send is one a client accepts.
/// The rules live in <see cref="IrcLineBuilder"/>; this is the convenience form for whole messages given as strings.
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
        var builder = new IrcLineBuilder(destination);
        if (!string.IsNullOrEmpty(source))
            builder.AppendSource(source);
        builder.AppendCommand(command);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i == parameters.Length - 1)
                builder.AppendLastParameter(parameters[i]);
            else
                builder.AppendParameter(parameters[i]);
        }
        return builder.Complete();
    }

    /// <summary>Formats into a new array: for replies built once and shared by every recipient.</summary>
    public static byte[] ToArray(string? source, string command, params ReadOnlySpan<string> parameters)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        int n = Format(buffer, source, command, parameters);
        return buffer[..n].ToArray();
    }
}
