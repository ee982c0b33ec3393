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
        PrefixText = nick is null ? "*" : userName is null ? nick : $"{nick}!{userName}@{host}";
        Prefix = Encoding.UTF8.GetBytes(PrefixText);
        NickBytes = nick is null ? [] : Encoding.ASCII.GetBytes(nick);
    }

    /// <summary>The nick, or null before the first valid NICK.</summary>
    public string? Nick { get; }

    public string? UserName { get; }
    public string? RealName { get; }
    public string Host { get; }

    /// <summary><c>nick!user@host</c> without the leading ':'.</summary>
    public string PrefixText { get; }

    /// <summary><see cref="PrefixText"/> as UTF-8: the source of every line this client originates.</summary>
    public byte[] Prefix { get; }

    /// <summary>The nick, or <c>*</c> as numerics address a client that has none yet.</summary>
    public string NickOrStar => Nick ?? "*";

    /// <summary>The nick as bytes (ASCII, as valid nicks are): NAMES lists of big channels copy these, not strings.</summary>
    public byte[] NickBytes { get; }

    public ClientIdentity WithNick(string nick) => new(nick, UserName, RealName, Host);

    public ClientIdentity WithUser(string userName, string realName) => new(Nick, userName, realName, Host);

    public ClientIdentity WithRealName(string realName) => new(Nick, UserName, realName, Host);
}
