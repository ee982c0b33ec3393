using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatLoad.CommandLine;

/// <summary>
/// The one duration grammar of every ChatLoad program (server switches, load-engine options, scenario settings, the
/// comparison): <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>, <c>1.5s</c>, <c>250us</c>, or a
/// <c>hh:mm:ss</c> time span (<c>00:00:02</c>, what appsettings.json holds). A unit is required: a bare <c>2</c>
/// (two seconds? two days, as TimeSpan reads it?) is an error, never a guess.
/// </summary>
public static partial class Duration
{
    /// <summary>The grammar in words, for error messages and help.</summary>
    public const string Grammar = "a number with a unit (us, ms, s, m, h), e.g. 500ms, 30s, 2m, 1m30s, or hh:mm:ss";

    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ms|us|s|m|h))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithUnits();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|us|s|m|h)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    [GeneratedRegex(@"^\d+:\d{2}:\d{2}(?:\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        string trimmed = text.Trim();
        if (Clock().IsMatch(trimmed))
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out duration);
        if (!WithUnits().IsMatch(trimmed)) return false;
        double ms = 0;
        foreach (Match part in Part().Matches(trimmed))
        {
            double value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            ms += part.Groups[2].Value.ToLowerInvariant() switch
            {
                "us" => value / 1000,
                "ms" => value,
                "s" => value * 1000,
                "m" => value * 60_000,
                _ => value * 3_600_000,
            };
        }
        if (ms > TimeSpan.MaxValue.TotalMilliseconds / 2) return false;
        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>Parses or throws a <see cref="FormatException"/> naming <paramref name="what"/> (an option or setting).</summary>
    public static TimeSpan Parse(string? text, string what) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException(Problem(text, what));

    /// <summary>"--send-timeout: '2' is not a duration (write ...)".</summary>
    public static string Problem(string? text, string what) =>
        IsBareNumber(text)
            ? $"{what}: '{text}' has no unit: write {text}s, {text}ms or {text}m (a bare number is not a duration)"
            : $"{what}: '{text}' is not a duration (write {Grammar})";

    private static bool IsBareNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>The shortest text that parses back to the same duration: "2s", "1m30s", "500ms", "1.5ms".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero) return "0s";
        if (duration.Ticks % TimeSpan.TicksPerSecond != 0)
            return $"{duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
        var parts = new List<string>();
        if (duration.Days > 0 || duration.Hours > 0) parts.Add($"{(long)duration.TotalHours}h");
        if (duration.Minutes > 0) parts.Add($"{duration.Minutes}m");
        if (duration.Seconds > 0) parts.Add($"{duration.Seconds}s");
        return string.Concat(parts);
    }
}
