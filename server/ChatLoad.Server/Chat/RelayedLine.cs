using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat;

/// <summary>
/// Lines a client originates (<c>:nick!user@host COMMAND target :text</c>), serialized once into one array that
/// every recipient's connection shares. The source comes from the sender's cached prefix bytes.
/// </summary>
internal static class RelayedLine
{
    public static byte[] Format(ClientIdentity from, string command, string? target, ReadOnlySpan<byte> trailing)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = Start(buffer, from, command, target);
        line.AppendTrailing(trailing);
        return line.ToArray();
    }

    public static byte[] Format(ClientIdentity from, string command, string? target, string trailing)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = Start(buffer, from, command, target);
        line.AppendTrailing(trailing);
        return line.ToArray();
    }

    /// <summary>A line without parameters (<c>AWAY</c> when back).</summary>
    public static byte[] Format(ClientIdentity from, string command)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        return Start(buffer, from, command, null).ToArray();
    }

    /// <summary>A line whose parameters are written as given, the last as trailing when needed (MODE, INVITE).</summary>
    public static byte[] FormatParameters(ClientIdentity from, string command, params ReadOnlySpan<string> parameters)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = Start(buffer, from, command, null);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i == parameters.Length - 1)
                line.AppendLastParameter(parameters[i]);
            else
                line.AppendParameter(parameters[i]);
        }
        return line.ToArray();
    }

    /// <summary>Middle parameters, then <paramref name="trailing"/> always as the trailing parameter (KICK's reason).</summary>
    public static byte[] FormatWithTrailing(ClientIdentity from, string command, string[] middle, string trailing)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        var line = Start(buffer, from, command, null);
        foreach (string parameter in middle)
            line.AppendParameter(parameter);
        line.AppendTrailing(trailing);
        return line.ToArray();
    }

    /// <summary>A line without trailing text (JOIN, PART without a reason).</summary>
    public static byte[] Format(ClientIdentity from, string command, string target)
    {
        Span<byte> buffer = stackalloc byte[IrcLimits.MaxLineBytes];
        return Start(buffer, from, command, target).ToArray();
    }

    private static IrcLineBuilder Start(Span<byte> buffer, ClientIdentity from, string command, string? target)
    {
        var line = new IrcLineBuilder(buffer);
        line.AppendSource(from.Prefix);
        line.AppendCommand(command);
        if (target is not null)
            line.AppendParameter(target);
        return line;
    }
}
