using System.Text;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// Who a client says it is. Immutable and replaced whole on NICK/USER, so other threads (NAMES, WHO, a PRIVMSG
/// to this nick) read a consistent nick/user/host without a lock. The <c>nick!user@host</c> prefix is encoded
/// here once, not per message: every line the client sends to a channel starts with it.
/// </summary>
internal sealed class ClientIdentity
{
    public ClientIdentity(string? nick, string? userName, string? realName, string host)
    {
        Nick = nick;
        UserName = userName;
        RealName = realName;
        Host = host;
        // Only the bytes are kept: every relay copies them, while the text form (bans, logs, 001) is wanted a few
        // times per client and built then. Keeping both cost ~80 bytes per client (a 30-character string).
        Prefix = nick is null ? NoNick : userName is null ? Encoding.UTF8.GetBytes(nick) : Encoding.UTF8.GetBytes($"{nick}!{userName}@{host}");
        _nickByteCount = nick is null ? 0 : Encoding.UTF8.GetByteCount(nick);
    }

    private static readonly byte[] NoNick = "*"u8.ToArray();
    private readonly int _nickByteCount;

    /// <summary>The nick, or null before the first valid NICK.</summary>
    public string? Nick { get; }

    public string? UserName { get; }
    public string? RealName { get; }
    public string Host { get; }

    /// <summary><c>nick!user@host</c> without the leading ':' (<c>*</c> before NICK, the nick alone before USER);
    /// built on each call (see the constructor).</summary>
    public string PrefixText => Encoding.UTF8.GetString(Prefix);

    /// <summary><see cref="PrefixText"/> as UTF-8: the source of every line this client originates.</summary>
    public byte[] Prefix { get; }

    /// <summary>The nick, or <c>*</c> as numerics address a client that has none yet.</summary>
    public string NickOrStar => Nick ?? "*";

    /// <summary>The nick as bytes, empty before NICK: NAMES lists of big channels copy these, not strings. The
    /// prefix's first bytes, so it costs no array of its own.</summary>
    public ReadOnlySpan<byte> NickBytes => Prefix.AsSpan(0, _nickByteCount);

    public ClientIdentity WithNick(string nick) => new(nick, UserName, RealName, Host);

    public ClientIdentity WithUser(string userName, string realName) => new(Nick, userName, realName, Host);

    public ClientIdentity WithRealName(string realName) => new(Nick, UserName, realName, Host);
}
