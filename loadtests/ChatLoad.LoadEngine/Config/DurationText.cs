using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatLoad.LoadEngine.Config;

/// <summary>Durations as people write them: "30s", "500ms", "2m", "1h", "1m30s", "1.5s". A unit is required, so
/// "30" (seconds? milliseconds?) is an error rather than a guess.</summary>
internal static partial class DurationText
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ms|us|s|m|h))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|us|s|m|h)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        if (!Whole().IsMatch(trimmed)) return false;
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

    /// <summary>Parses or throws a <see cref="UsageException"/> naming <paramref name="what"/>.</summary>
    public static TimeSpan Parse(string? text, string what) =>
        TryParse(text, out var duration)
            ? duration
            : throw new UsageException($"{what}: '{text}' is not a duration (write e.g. 30s, 500ms, 2m, 1h or 1m30s)");

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds >= 1 && duration.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{duration.TotalSeconds:0}s"
            : $"{duration.TotalMilliseconds:0.###}ms";
}
