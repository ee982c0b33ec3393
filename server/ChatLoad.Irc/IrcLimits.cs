namespace ChatLoad.Irc;

/// <summary>Protocol limits from RFC 1459/2812 and modern.ircdocs.horse, named in one place.</summary>
public static class IrcLimits
{
    /// <summary>512 bytes per line including the trailing CRLF (RFC 1459 §2.3). Longer lines get 417 and are discarded.</summary>
    public const int MaxLineBytes = 512;

    /// <summary>The payload of a line without its CRLF.</summary>
    public const int MaxLineBodyBytes = MaxLineBytes - 2;

    /// <summary>At most 15 parameters per message (RFC 2812 §2.3); extra words join the last one.</summary>
    public const int MaxParameters = 15;
}
