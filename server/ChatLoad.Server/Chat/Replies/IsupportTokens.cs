using ChatLoad.Irc;
using ChatLoad.Server.Chat.Channels;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// The 005 RPL_ISUPPORT tokens, built once from the options. Adding a token is one <see cref="Add"/> line in
/// <see cref="For"/>; <see cref="WriteTo"/> splits them over as many 005 lines as they need, each within 512 bytes
/// and 15 parameters (the nick, at most 13 tokens, the trailing text).
/// </summary>
internal sealed class IsupportTokens
{
    /// <summary>Tokens per 005 line: 15 parameters minus the nick and the trailing text.</summary>
    public const int MaxTokensPerLine = 13;

    private const string Trailing = "are supported by this server";

    private readonly List<string> _tokens = [];

    // The 005 lines' parameters by the length of the nick they are addressed to (the split depends on it), built the
    // first time a nick of that length registers: every client of a connect storm gets the same lines, so they are
    // not split and copied into new arrays per client. Written racily with equal content; cleared by Add.
    private string[][]?[] _linesByNickLength = new string[][]?[MaxCachedNickLength + 1];
    private const int MaxCachedNickLength = 64;

    /// <summary>The tokens in the order they are sent, as <c>NAME</c> or <c>NAME=value</c>.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Adds <c>NAME</c> or <c>NAME=value</c>. Values must not contain spaces (005 tokens are space-separated).</summary>
    public IsupportTokens Add(string name, string? value = null)
    {
        if (name.Contains(' ') || value?.Contains(' ') == true)
            throw new ArgumentException($"005 token {name} cannot contain a space");
        _tokens.Add(value is null ? name : $"{name}={value}");
        _linesByNickLength = new string[][]?[MaxCachedNickLength + 1];
        return this;
    }

    /// <summary>Every token this server advertises, from its options, in alphabetical order (UTF8ONLY last, when on).</summary>
    public static IsupportTokens For(ServerOptions options, string networkName)
    {
        var tokens = new IsupportTokens()
            .Add("AWAYLEN", Number(options.AwayLength))
            .Add("BOT", "B")
            .Add("CASEMAPPING", IrcCaseMapping.Name)
            .Add("CHANLIMIT", "#:" + Number(options.MaxChannelsPerClient))
            .Add("CHANMODES", ChannelModeLetters.ChanModesToken)
            .Add("CHANNELLEN", Number(options.ChannelLength))
            .Add("CHANTYPES", "#")
            .Add("ELIST", "MNU")
            .Add("EXCEPTS", "e")
            .Add("HOSTLEN", Number(HostLength))
            .Add("INVEX", "I")
            .Add("KEYLEN", Number(Channel.MaxKeyLength))
            .Add("KICKLEN", Number(options.KickLength))
            .Add("MAXLIST", "beI:" + Number(options.MaxListEntries))
            .Add("MAXTARGETS", Number(options.MaxTargets))
            .Add("MODES", Number(options.ModesPerCommand))
            .Add("MONITOR", Number(options.MaxMonitorEntries))
            .Add("NETWORK", networkName)
            .Add("NICKLEN", Number(options.NickLength))
            .Add("PREFIX", ChannelModeLetters.PrefixToken)
            .Add("STATUSMSG", ChannelModeLetters.StatusPrefixes)
            .Add("TARGMAX", $"KICK:{Number(options.MaxTargets)},NAMES:{Number(options.MaxTargets)},NOTICE:{Number(options.MaxTargets)},PRIVMSG:{Number(options.MaxTargets)}")
            .Add("TOPICLEN", Number(options.TopicLength))
            .Add("USERLEN", Number(Commands.UserCommand.MaxUserNameLength))
            .Add("WHOX");
        if (options.EnforceUtf8)
            tokens.Add("UTF8ONLY");
        return tokens;
    }

    /// <summary>Longest host shown (an IPv6 address written out is at most 45 characters).</summary>
    public const int HostLength = 64;

    /// <summary>Writes the 005 lines; returns how many.</summary>
    public int WriteTo(ReplyBuffer output)
    {
        int nickLength = output.Nick.Length;
        string[][]?[] cache = _linesByNickLength;
        string[][] lines = nickLength <= MaxCachedNickLength
            ? cache[nickLength] ??= Split(output)
            : Split(output);
        foreach (string[] parameters in lines)
            output.Numeric(IrcNumerics.RplISupport, parameters);
        return lines.Length;
    }

    // The parameters of each 005 line for output's server name and nick length: as many tokens as fit, then the trailing text.
    private string[][] Split(ReplyBuffer output)
    {
        var lines = new List<string[]>();
        for (int start = 0; start < _tokens.Count;)
        {
            int count = TokensThatFit(start, output);
            var parameters = new string[count + 1];
            for (int i = 0; i < count; i++)
                parameters[i] = _tokens[start + i];
            parameters[count] = Trailing;
            lines.Add(parameters);
            start += count;
        }
        return [.. lines];
    }

    // Room per line: 510 bytes minus ":server 005 nick " and " :are supported by this server".
    private int TokensThatFit(int start, ReplyBuffer output)
    {
        int room = IrcLimits.MaxLineBodyBytes - (1 + output.ServerName.Length + 5 + output.Nick.Length) - (2 + Trailing.Length);
        int count = 0, used = 0;
        while (start + count < _tokens.Count && count < MaxTokensPerLine)
        {
            int size = 1 + _tokens[start + count].Length;
            if (count > 0 && used + size > room)
                break;
            used += size;
            count++;
        }
        return count;
    }

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
