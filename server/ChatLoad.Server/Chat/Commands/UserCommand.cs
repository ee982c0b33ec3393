using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Commands;

/// <summary><c>USER username mode unused :real name</c> (RFC 2812 §3.1.3).</summary>
internal sealed class UserCommand : ICommandHandler
{
    /// <summary>Longest username kept (USERLEN in most servers); longer ones are cut so prefixes stay short.</summary>
    public const int MaxUserNameLength = 18;

    /// <summary>Longest real name kept; it appears in WHO and WHOIS replies.</summary>
    public const int MaxRealNameLength = 100;

    public string Name => "USER";
    public CommandRules Rules => new(MinimumParameters: 4, AllowedBeforeRegistration: true);

    public void Handle(ClientSession client, in IrcMessage message)
    {
        if (client.IsRegistered || client.Identity.UserName is not null)
        {
            client.SendNumeric(IrcNumerics.ErrAlreadyRegistered, "You may not reregister");
            return;
        }
        // modern.ircdocs.horse: an empty username (or real name) is "not enough parameters", even when present.
        if (message[0].IsEmpty || message[3].IsEmpty)
        {
            client.SendNumeric(IrcNumerics.ErrNeedMoreParams, Name, "Not enough parameters");
            return;
        }
        client.Identity = client.Identity.WithUser(CleanUserName(message[0]), CleanRealName(message.GetString(3)));
        client.Registration.TryComplete(client);
    }

    /// <summary>A real name as kept: at most <see cref="MaxRealNameLength"/> characters (SETNAME uses the same rule).</summary>
    public static string CleanRealName(string given) => given.Length > MaxRealNameLength ? given[..MaxRealNameLength] : given;

    // The username ends up inside nick!user@host, so only characters that cannot break that shape are kept;
    // "~" marks a name we had to make up, as identd-less servers do.
    private static string CleanUserName(ReadOnlySpan<byte> given)
    {
        Span<char> kept = stackalloc char[MaxUserNameLength];
        int length = 0;
        foreach (byte b in given)
        {
            if (length == MaxUserNameLength)
                break;
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                kept[length++] = (char)b;
        }
        return length == 0 ? "~user" : new string(kept[..length]);
    }
}
