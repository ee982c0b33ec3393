namespace ChatLoad.Server.Chat.Channels;

/// <summary>One requested change from a MODE command: <c>+o bob</c>, <c>-k</c>, <c>+b</c> (a list query) ...</summary>
/// <param name="Adding">'+' (true) or '-' (false).</param>
/// <param name="Letter">The mode letter as sent.</param>
/// <param name="Argument">Its parameter, or null when it takes none or none was given.</param>
internal readonly record struct ModeChange(bool Adding, char Letter, string? Argument)
{
    public ChannelModeKind Kind => ChannelModeLetters.KindOf(Letter);

    /// <summary>A list mode without an entry: asks for the list rather than changing it.</summary>
    public bool IsListQuery => Kind == ChannelModeKind.List && Argument is null;
}

/// <summary>
/// Splits <c>MODE #chan +ok-v bob key alice</c> into single changes, giving each letter its parameter by its class
/// (CHANMODES): pure, so every rule is tested on a table. Letters that need a parameter and have none are dropped
/// (servers ignore them); unknown letters are kept with <see cref="ChannelModeKind.Unknown"/> so the caller can
/// answer 472 for each.
/// </summary>
internal static class ChannelModeParser
{
    /// <param name="modes">The mode string (<c>+nt-k</c>); a string without a leading sign means '+'.</param>
    /// <param name="arguments">The parameters that follow it, in order.</param>
    public static List<ModeChange> Parse(string modes, IReadOnlyList<string> arguments)
    {
        var changes = new List<ModeChange>();
        bool adding = true;
        int next = 0;
        foreach (char letter in modes)
        {
            if (letter is '+' or '-')
            {
                adding = letter == '+';
                continue;
            }
            ChannelModeKind kind = ChannelModeLetters.KindOf(letter);
            bool wantsArgument = kind switch
            {
                ChannelModeKind.List or ChannelModeKind.AlwaysParameter or ChannelModeKind.Prefix => true,
                ChannelModeKind.ParameterWhenSet => adding,
                _ => false,
            };
            string? argument = null;
            if (wantsArgument && next < arguments.Count)
                argument = arguments[next++];
            if (wantsArgument && argument is null && kind is ChannelModeKind.Prefix or ChannelModeKind.ParameterWhenSet)
                continue; // +o with no nick, +l with no number: nothing to do
            if (wantsArgument && argument is null && kind == ChannelModeKind.AlwaysParameter && adding)
                continue; // +k with no key
            changes.Add(new ModeChange(adding, letter, argument));
        }
        return changes;
    }
}
