namespace ChatLoad.Server.Chat.Users;

/// <summary>The user modes this server has (RFC 2812 §3.1.5, modern.ircdocs.horse), one bit each.</summary>
[Flags]
internal enum UserModes
{
    None = 0,

    /// <summary><c>+i</c>: hidden from WHO masks, WHOIS channel lists and LUSERS' visible count, unless a channel is shared.</summary>
    Invisible = 1 << 0,

    /// <summary><c>+o</c>: an IRC operator. Only OPER sets it; the user may drop it with <c>MODE nick -o</c>.</summary>
    Operator = 1 << 1,

    /// <summary><c>+w</c>: receives WALLOPS.</summary>
    Wallops = 1 << 2,

    /// <summary><c>+B</c>: marks a bot (IRCv3 bot mode: 335 in WHOIS, <c>B</c> in WHO, the <c>bot</c> tag on its messages).</summary>
    Bot = 1 << 3,
}

/// <summary>User mode letters, for 004, 221 and MODE lines.</summary>
internal static class UserModeLetters
{
    /// <summary>Every user mode letter, as 004 lists them.</summary>
    public const string All = "Biow";

    public static UserModes FromLetter(char letter) => letter switch
    {
        'i' => UserModes.Invisible,
        'o' => UserModes.Operator,
        'w' => UserModes.Wallops,
        'B' => UserModes.Bot,
        _ => UserModes.None,
    };

    /// <summary><c>+iw</c> for a set of modes; <c>+</c> for none.</summary>
    public static string Format(UserModes modes)
    {
        Span<char> letters = stackalloc char[All.Length + 1];
        int n = 0;
        letters[n++] = '+';
        foreach (char letter in All)
        {
            if ((modes & FromLetter(letter)) != 0)
                letters[n++] = letter;
        }
        return new string(letters[..n]);
    }

    /// <summary><c>+iw-o</c>: what changed from <paramref name="before"/> to <paramref name="after"/>; empty when nothing did.</summary>
    public static string FormatChange(UserModes before, UserModes after)
    {
        var text = new System.Text.StringBuilder(8);
        AppendSide(text, '+', after & ~before);
        AppendSide(text, '-', before & ~after);
        return text.ToString();
    }

    private static void AppendSide(System.Text.StringBuilder text, char sign, UserModes modes)
    {
        if (modes == UserModes.None)
            return;
        text.Append(sign);
        foreach (char letter in All)
        {
            if ((modes & FromLetter(letter)) != 0)
                text.Append(letter);
        }
    }
}
