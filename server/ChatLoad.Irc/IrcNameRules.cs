using System.Text.Unicode;

namespace ChatLoad.Irc;

/// <summary>
/// What a valid nick and a valid channel name are. Checked on the bytes as received, before anything is decoded
/// or stored, so a bad name costs nothing but its error reply.
/// </summary>
public static class IrcNameRules
{
    /// <summary>
    /// RFC 2812 §2.3.1: <c>( letter / special ) *( letter / digit / special / "-" )</c>, special being
    /// <c>[ ] \ ` _ ^ { | }</c>, at most <paramref name="maxLength"/> bytes (the advertised NICKLEN).
    /// </summary>
    public static bool IsValidNick(ReadOnlySpan<byte> nick, int maxLength)
    {
        if (nick.Length == 0 || nick.Length > maxLength)
            return false;
        if (!IsLetter(nick[0]) && !IsSpecial(nick[0]))
            return false;
        for (int i = 1; i < nick.Length; i++)
        {
            byte b = nick[i];
            if (!IsLetter(b) && !IsSpecial(b) && !char.IsAsciiDigit((char)b) && b != (byte)'-')
                return false;
        }
        return true;
    }

    /// <summary>
    /// <c>#</c> and at least one more byte, at most <paramref name="maxLength"/> bytes (CHANNELLEN), valid UTF-8,
    /// and none of space, comma, BEL, NUL, CR, LF (RFC 2812 §1.3) nor ':' (RFC 2812 reserves it for channel masks).
    /// Stricter than RFC 2812's chanstring in one way, as modern servers are: no control character at all (C0, DEL,
    /// C1), because a name is shown in every member's client and ESC there is a terminal escape sequence.
    /// </summary>
    public static bool IsValidChannelName(ReadOnlySpan<byte> name, int maxLength)
    {
        if (name.Length < 2 || name.Length > maxLength || name[0] != (byte)'#')
            return false;
        if (name.IndexOfAny(" ,:"u8) >= 0 || name.IndexOfAnyInRange((byte)0x00, (byte)0x1F) >= 0 || name.Contains((byte)0x7F))
            return false;
        return Utf8.IsValid(name) && !HasC1Control(name);
    }

    // U+0080..U+009F are encoded C2 80..C2 9F.
    private static bool HasC1Control(ReadOnlySpan<byte> utf8)
    {
        for (int i = utf8.IndexOf((byte)0xC2); i >= 0 && i + 1 < utf8.Length; )
        {
            if (utf8[i + 1] is >= 0x80 and <= 0x9F)
                return true;
            int next = utf8[(i + 1)..].IndexOf((byte)0xC2);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return false;
    }

    private static bool IsLetter(byte b) => char.IsAsciiLetter((char)b);

    // %x5B-60 / %x7B-7D: [ \ ] ^ _ ` { | }
    private static bool IsSpecial(byte b) => b is >= 0x5B and <= 0x60 or >= 0x7B and <= 0x7D;
}
