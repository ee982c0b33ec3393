namespace ChatLoad.Irc;

/// <summary>
/// IRC wildcard masks (RFC 2812 §2.5): <c>*</c> matches any run of characters, <c>?</c> exactly one, and letters
/// compare under the rfc1459 casemapping. Used by WHO, LIST, ban/exception/invite lists and MONITOR-free lookups.
/// </summary>
public static class IrcMask
{
    /// <summary>True when <paramref name="mask"/> contains a wildcard, i.e. names a set rather than one name.</summary>
    public static bool HasWildcards(ReadOnlySpan<char> mask) => mask.IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// Matches <paramref name="text"/> against <paramref name="mask"/>. Greedy with one backtrack point (the last
    /// <c>*</c>), so the cost is O(mask × text) in the worst case and never exponential, whatever a client sends.
    /// </summary>
    public static bool IsMatch(ReadOnlySpan<char> mask, ReadOnlySpan<char> text)
    {
        int m = 0, t = 0;
        int starMask = -1, starText = 0;
        while (t < text.Length)
        {
            if (m < mask.Length && mask[m] == '*')
            {
                starMask = m++;
                starText = t;
            }
            else if (m < mask.Length && (mask[m] == '?' || IrcCaseMapping.Fold(mask[m]) == IrcCaseMapping.Fold(text[t])))
            {
                m++;
                t++;
            }
            else if (starMask >= 0)
            {
                m = starMask + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }
        while (m < mask.Length && mask[m] == '*')
            m++;
        return m == mask.Length;
    }

    /// <summary>
    /// The full <c>nick!user@host</c> form of a ban-style mask, as servers store and list them: <c>bob</c> becomes
    /// <c>bob!*@*</c>, <c>*@host</c> becomes <c>*!*@host</c>, <c>user@host</c> becomes <c>*!user@host</c>,
    /// <c>nick!user</c> becomes <c>nick!user@*</c>. Empty parts become <c>*</c>.
    /// </summary>
    public static string ToHostmask(string mask)
    {
        int bang = mask.IndexOf('!');
        int at = mask.IndexOf('@', bang < 0 ? 0 : bang + 1);
        string nick, user, host;
        if (bang >= 0)
        {
            nick = mask[..bang];
            user = at >= 0 ? mask[(bang + 1)..at] : mask[(bang + 1)..];
            host = at >= 0 ? mask[(at + 1)..] : "*";
        }
        else if (at >= 0)
        {
            nick = "*";
            user = mask[..at];
            host = mask[(at + 1)..];
        }
        else
        {
            nick = mask;
            user = "*";
            host = "*";
        }
        return $"{OrStar(nick)}!{OrStar(user)}@{OrStar(host)}";
    }

    private static string OrStar(string part) => part.Length == 0 ? "*" : part;
}
