using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;

namespace ChatLoad.Server.Chat.Channels;

/// <summary>One entry of a ban, exception or invite-exception list (367/348/346 show who set it and when).</summary>
internal sealed record ChannelListEntry(string Mask, string SetBy, DateTimeOffset SetAt);

/// <summary>The outcome of one MODE command on a channel: what changed (for the MODE line) and the errors to send.</summary>
internal sealed class ModeApplication
{
    /// <summary>Applied changes, in order, with the parameter as shown in the MODE line.</summary>
    public List<(bool Adding, char Letter, string? Argument)> Applied { get; } = [];

    /// <summary>Numerics to send the setter, each as (numeric, parameters).</summary>
    public List<(string Numeric, string[] Parameters)> Errors { get; } = [];
}

internal sealed partial class Channel
{
    /// <summary>Modes a new channel starts with: only members may send (+n), only operators set the topic (+t).</summary>
    public const ChannelModes DefaultModes = ChannelModes.NoExternal | ChannelModes.TopicProtected;

    /// <summary>Longest key kept (RFC 2812 allows 23 characters); longer ones are refused with 696.</summary>
    public const int MaxKeyLength = 23;

    private int _modes;
    private string? _key;
    private int _limit;
    private ChannelListEntry[] _bans = [];
    private ChannelListEntry[] _exceptions = [];
    private ChannelListEntry[] _inviteExceptions = [];

    public ChannelModes Modes => (ChannelModes)Volatile.Read(ref _modes);

    public bool IsSecret => (Modes & ChannelModes.Secret) != 0;

    /// <summary>The key (+k), or null.</summary>
    public string? Key => Volatile.Read(ref _key);

    /// <summary>The member limit (+l), or 0 for none.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>The list for <c>b</c>, <c>e</c> or <c>I</c>, as a snapshot.</summary>
    public ChannelListEntry[] ListFor(char letter) => letter switch
    {
        'b' => Volatile.Read(ref _bans),
        'e' => Volatile.Read(ref _exceptions),
        _ => Volatile.Read(ref _inviteExceptions),
    };

    /// <summary>
    /// True when <paramref name="prefix"/> (<c>nick!user@host</c>) matches a ban and no exception. O(list length):
    /// for joins and non-members; members use their cached <see cref="Membership.IsBanned"/>.
    /// </summary>
    public bool MatchesBan(string prefix) =>
        MatchesAny(Volatile.Read(ref _bans), prefix) && !MatchesAny(Volatile.Read(ref _exceptions), prefix);

    /// <summary>Re-checks one member's ban state after its nick changed.</summary>
    public void RefreshBan(ClientSession member)
    {
        lock (_gate)
        {
            if (Find(member) is { } membership)
                membership.SetBanned(MatchesBan(member.Identity.PrefixText));
        }
    }

    /// <summary>
    /// <c>+nt-k+o key nick</c> and its arguments as 324 shows them: the key only to members (it is a password).
    /// </summary>
    public List<string> DescribeModes(bool showKey)
    {
        var letters = new System.Text.StringBuilder("+");
        letters.Append(ChannelModeLetters.FlagLetters(Modes));
        var result = new List<string>();
        var arguments = new List<string>();
        if (Key is { } key)
        {
            letters.Append('k');
            arguments.Add(showKey ? key : "*");
        }
        if (Limit > 0)
        {
            letters.Append('l');
            arguments.Add(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        result.Add(letters.ToString());
        result.AddRange(arguments);
        return result;
    }

    /// <summary>
    /// Applies the changes an operator asked for (the caller checked the setter's rights and answered list
    /// queries) under the lock, then sends one MODE line with what actually changed to every member of the
    /// snapshot taken there, after releasing it (see the class remarks). Bans and exceptions changes re-check every
    /// member.
    /// </summary>
    public void ApplyModes(ClientSession setter, IReadOnlyList<ModeChange> changes, ChatNetwork network, ModeApplication result)
    {
        Membership[] members;
        lock (_gate)
        {
            int withParameter = 0;
            bool listsChanged = false;
            foreach (ModeChange change in changes)
            {
                if (change.Kind is not (ChannelModeKind.Flag or ChannelModeKind.Unknown) && change.Argument is not null
                    && ++withParameter > network.Options.ModesPerCommand)
                    break; // MODES: the rest of the command is ignored, as 005 says
                switch (change.Kind)
                {
                    case ChannelModeKind.Flag:
                        ApplyFlag(change, result);
                        break;
                    case ChannelModeKind.AlwaysParameter:
                        ApplyKey(change, result);
                        break;
                    case ChannelModeKind.ParameterWhenSet:
                        ApplyLimit(change, result);
                        break;
                    case ChannelModeKind.List:
                        listsChanged |= ApplyListEntry(setter, change, network, result);
                        break;
                    case ChannelModeKind.Prefix:
                        ApplyStatus(change, network, result);
                        break;
                }
            }
            if (listsChanged)
            {
                foreach (Membership member in _members)
                    member.SetBanned(MatchesBan(member.Member.Identity.PrefixText));
            }
            if (result.Applied.Count == 0)
                return;
            members = _members;
        }
        var notice = new RelayedMessage(network, RelayedLine.FormatParameters(setter.Identity, "MODE", ModeLineParameters(result)), fromBot: setter.IsBot);
        network.Metrics.LinesQueued(SendToAll(members, setter, ref notice));
    }

    private void ApplyFlag(ModeChange change, ModeApplication result)
    {
        int flag = (int)ChannelModeLetters.FlagOf(change.Letter);
        int before = _modes;
        int after = change.Adding ? before | flag : before & ~flag;
        if (after == before)
            return;
        Volatile.Write(ref _modes, after);
        result.Applied.Add((change.Adding, change.Letter, null));
    }

    private void ApplyKey(ModeChange change, ModeApplication result)
    {
        if (!change.Adding)
        {
            if (_key is null)
                return;
            Volatile.Write(ref _key, null);
            result.Applied.Add((false, 'k', "*"));
            return;
        }
        string key = change.Argument!;
        if (!IsValidKey(key))
        {
            result.Errors.Add((IrcNumerics.ErrInvalidModeParam, [Name, "k", "*", "Invalid key: 1 to 23 printable characters, no spaces or commas"]));
            return;
        }
        Volatile.Write(ref _key, key);
        result.Applied.Add((true, 'k', key));
    }

    /// <summary>RFC 2812's key: 1–23 printable ASCII characters without space (and no comma, which separates JOIN keys).</summary>
    public static bool IsValidKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength)
            return false;
        foreach (char c in key)
        {
            if (c <= ' ' || c > '~' || c == ',')
                return false;
        }
        return true;
    }

    private void ApplyLimit(ModeChange change, ModeApplication result)
    {
        if (!change.Adding)
        {
            if (_limit == 0)
                return;
            Volatile.Write(ref _limit, 0);
            result.Applied.Add((false, 'l', null));
            return;
        }
        if (!int.TryParse(change.Argument, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int limit) || limit <= 0)
        {
            result.Errors.Add((IrcNumerics.ErrInvalidModeParam, [Name, "l", change.Argument is { Length: > 0 } a ? a : "*", "Invalid limit: a positive number"]));
            return;
        }
        if (limit == _limit)
            return;
        Volatile.Write(ref _limit, limit);
        result.Applied.Add((true, 'l', change.Argument));
    }

    // Returns true when a ban or exception list changed (so members' cached ban state must be re-checked).
    private bool ApplyListEntry(ClientSession setter, ModeChange change, ChatNetwork network, ModeApplication result)
    {
        string mask = IrcMask.ToHostmask(change.Argument!);
        ref ChannelListEntry[] list = ref ListField(change.Letter);
        ChannelListEntry[] current = list;
        int index = Array.FindIndex(current, e => IrcCaseMapping.Rfc1459.Equals(e.Mask, mask));
        if (change.Adding)
        {
            if (index >= 0)
                return false;
            if (current.Length >= network.Options.MaxListEntries)
            {
                result.Errors.Add((ErrBanListFull, [Name, change.Letter.ToString(), "Channel list is full"]));
                return false;
            }
            var entry = new ChannelListEntry(mask, setter.Identity.PrefixText, network.Time.GetUtcNow());
            Volatile.Write(ref list, [.. current, entry]);
            result.Applied.Add((true, change.Letter, mask));
        }
        else
        {
            if (index < 0)
                return false;
            result.Applied.Add((false, change.Letter, current[index].Mask));
            Volatile.Write(ref list, [.. current[..index], .. current[(index + 1)..]]);
        }
        return change.Letter != 'I';
    }

    private void ApplyStatus(ModeChange change, ChatNetwork network, ModeApplication result)
    {
        ClientSession? target = network.Nicks.FindUser(change.Argument!);
        if (target is null)
        {
            result.Errors.Add((IrcNumerics.ErrNoSuchNick, [change.Argument!, "No such nick/channel"]));
            return;
        }
        Membership? membership = Find(target);
        if (membership is null)
        {
            result.Errors.Add((IrcNumerics.ErrUserNotInChannel, [target.Identity.NickOrStar, Name, "They aren't on that channel"]));
            return;
        }
        if (membership.SetStatus(ChannelModeLetters.StatusOf(change.Letter), change.Adding))
            result.Applied.Add((change.Adding, change.Letter, target.Identity.NickOrStar));
    }

    private ref ChannelListEntry[] ListField(char letter)
    {
        if (letter == 'b')
            return ref _bans;
        if (letter == 'e')
            return ref _exceptions;
        return ref _inviteExceptions;
    }

    // #chan +nt-k+o * nick: the signs grouped, the arguments in order.
    private string[] ModeLineParameters(ModeApplication result)
    {
        var letters = new System.Text.StringBuilder();
        var parameters = new List<string> { Name, "" };
        bool? sign = null;
        foreach ((bool adding, char letter, string? argument) in result.Applied)
        {
            if (sign != adding)
            {
                letters.Append(adding ? '+' : '-');
                sign = adding;
            }
            letters.Append(letter);
            if (argument is not null)
                parameters.Add(argument);
        }
        parameters[1] = letters.ToString();
        return [.. parameters];
    }

    private static bool MatchesAny(ChannelListEntry[] list, string prefix)
    {
        foreach (ChannelListEntry entry in list)
        {
            if (IrcMask.IsMatch(entry.Mask, prefix))
                return true;
        }
        return false;
    }

    /// <summary>478 ERR_BANLISTFULL (not in RFC 2812's table, but what every server sends).</summary>
    public const string ErrBanListFull = "478";
}
