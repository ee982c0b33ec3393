namespace ChatLoad.Server.Chat.Channels;

/// <summary>The channel's flag modes (CHANMODES type D), one bit each.</summary>
[Flags]
internal enum ChannelModes
{
    None = 0,

    /// <summary><c>+i</c>: only invited users (INVITE, or a matching +I entry) may join.</summary>
    InviteOnly = 1 << 0,

    /// <summary><c>+m</c>: only voiced users and operators may speak.</summary>
    Moderated = 1 << 1,

    /// <summary><c>+n</c>: only members may send to the channel.</summary>
    NoExternal = 1 << 2,

    /// <summary><c>+s</c>: hidden from LIST, WHOIS and NAMES for non-members.</summary>
    Secret = 1 << 3,

    /// <summary><c>+t</c>: only operators may change the topic.</summary>
    TopicProtected = 1 << 4,
}

/// <summary>A member's status in one channel (the PREFIX modes), one bit each.</summary>
[Flags]
internal enum MemberStatus
{
    None = 0,

    /// <summary><c>+v</c>, shown as <c>+</c>: may speak in a moderated channel.</summary>
    Voice = 1 << 0,

    /// <summary><c>+o</c>, shown as <c>@</c>: channel operator.</summary>
    Operator = 1 << 1,
}

/// <summary>How a channel mode letter takes its parameter (the four CHANMODES classes, plus the PREFIX modes).</summary>
internal enum ChannelModeKind
{
    Unknown,

    /// <summary>Type A: a list (b, e, I); a parameter to add or remove an entry, none to see the list.</summary>
    List,

    /// <summary>Type B: always a parameter (k). A missing one on <c>-k</c> is tolerated.</summary>
    AlwaysParameter,

    /// <summary>Type C: a parameter when set only (l).</summary>
    ParameterWhenSet,

    /// <summary>Type D: a flag, never a parameter (i m n s t).</summary>
    Flag,

    /// <summary>A member status (o v): the parameter is a nick.</summary>
    Prefix,
}

/// <summary>The letters and their classes, and the 004/005 strings derived from them.</summary>
internal static class ChannelModeLetters
{
    /// <summary>CHANMODES=A,B,C,D.</summary>
    public const string ChanModesToken = "beI,k,l,imnst";

    /// <summary>PREFIX=(modes)prefixes, highest first.</summary>
    public const string PrefixToken = "(ov)@+";

    /// <summary>STATUSMSG: <c>PRIVMSG @#chan</c> reaches the operators only, <c>+#chan</c> voiced and operators.</summary>
    public const string StatusPrefixes = "@+";

    /// <summary>Every channel mode letter (004).</summary>
    public const string All = "Ibeiklmnostv";

    /// <summary>The letters that take a parameter (004's last field).</summary>
    public const string WithParameter = "Ibeklov";

    public static ChannelModeKind KindOf(char letter) => letter switch
    {
        'b' or 'e' or 'I' => ChannelModeKind.List,
        'k' => ChannelModeKind.AlwaysParameter,
        'l' => ChannelModeKind.ParameterWhenSet,
        'i' or 'm' or 'n' or 's' or 't' => ChannelModeKind.Flag,
        'o' or 'v' => ChannelModeKind.Prefix,
        _ => ChannelModeKind.Unknown,
    };

    public static ChannelModes FlagOf(char letter) => letter switch
    {
        'i' => ChannelModes.InviteOnly,
        'm' => ChannelModes.Moderated,
        'n' => ChannelModes.NoExternal,
        's' => ChannelModes.Secret,
        't' => ChannelModes.TopicProtected,
        _ => ChannelModes.None,
    };

    public static MemberStatus StatusOf(char letter) => letter switch
    {
        'o' => MemberStatus.Operator,
        'v' => MemberStatus.Voice,
        _ => MemberStatus.None,
    };

    /// <summary>The flags as letters (<c>nt</c>), in 004 order.</summary>
    public static string FlagLetters(ChannelModes modes)
    {
        Span<char> letters = stackalloc char[5];
        int n = 0;
        foreach (char letter in "imnst")
        {
            if ((modes & FlagOf(letter)) != 0)
                letters[n++] = letter;
        }
        return new string(letters[..n]);
    }

    /// <summary>The highest prefix (<c>@</c> or <c>+</c>), or empty: what NAMES and WHOIS show without multi-prefix.</summary>
    public static string HighestPrefix(MemberStatus status) =>
        (status & MemberStatus.Operator) != 0 ? "@" : (status & MemberStatus.Voice) != 0 ? "+" : "";

    /// <summary>Every prefix, highest first (<c>@+</c>): what NAMES and WHO show with multi-prefix.</summary>
    public static string AllPrefixes(MemberStatus status) => status switch
    {
        MemberStatus.Operator | MemberStatus.Voice => "@+",
        MemberStatus.Operator => "@",
        MemberStatus.Voice => "+",
        _ => "",
    };
}
