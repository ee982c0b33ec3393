using System.Globalization;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>
/// How human-facing reports (HTML, Markdown, text) print figures: invariant culture, so a report reads the same on
/// every machine, and precision scaled to magnitude, so 0.042 ms and 1234.5 ms are both legible. CSV and JSON keep raw
/// values instead.
/// </summary>
internal static class ReportNumbers
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Milliseconds: three decimals below 1 ms, two below 100 ms, one above.</summary>
    public static string Ms(double value) => !double.IsFinite(value) ? "n/a"
        : Math.Abs(value) < 1 ? value.ToString("0.000", Invariant)
        : Math.Abs(value) < 100 ? value.ToString("0.00", Invariant)
        : value.ToString("#,0.0", Invariant);

    /// <summary>A rate or any other measured quantity: thousands separated, one decimal below 1000.</summary>
    public static string Rate(double value) => !double.IsFinite(value) ? "n/a"
        : Math.Abs(value) < 1000 ? value.ToString("#,0.0", Invariant)
        : value.ToString("#,0", Invariant);

    /// <summary>A count: thousands separated.</summary>
    public static string Count(long value) => value.ToString("#,0", Invariant);

    /// <summary>A percentage with two decimals, e.g. "0.25%".</summary>
    public static string Percent(double value) => !double.IsFinite(value) ? "n/a" : value.ToString("0.00", Invariant) + "%";

    /// <summary>A gauge or threshold value: up to three decimals, thousands separated.</summary>
    public static string Value(double value) => !double.IsFinite(value) ? "n/a" : value.ToString("#,0.###", Invariant);

    /// <summary>Bytes in binary units ("512 B", "1.50 KiB", "3.20 MiB", "1.07 GiB").</summary>
    /// <summary>Bytes an iteration reported; "–" when it reported none, since a scenario whose iterations only send
    /// (chat messages are received by other clients' loops, not by the sending iteration) did not measure them —
    /// "0 B" would claim it had.</summary>
    public static string BytesIfMeasured(long bytes) => bytes == 0 ? "–" : Bytes(bytes);

    public static string Bytes(double bytes)
    {
        if (!double.IsFinite(bytes)) return "n/a";
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        var scaled = bytes;
        while (Math.Abs(scaled) >= 1024 && unit < units.Length - 1)
        {
            scaled /= 1024;
            unit++;
        }
        return unit == 0 ? bytes.ToString("#,0", Invariant) + " B" : scaled.ToString("0.00", Invariant) + " " + units[unit];
    }

    /// <summary>A duration: "850 ms", "12.5 s", "3 min 05 s", "1 h 02 min".</summary>
    public static string Duration(TimeSpan duration) =>
        duration.TotalSeconds < 1 ? duration.TotalMilliseconds.ToString("0", Invariant) + " ms"
        : duration.TotalMinutes < 1 ? duration.TotalSeconds.ToString("0.0", Invariant) + " s"
        : duration.TotalHours < 1 ? $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s"
        : $"{(int)duration.TotalHours} h {duration.Minutes:00} min";

    /// <summary>A timestamp in UTC, ISO-like: "2026-11-25 20:40:16Z".</summary>
    public static string Timestamp(DateTimeOffset moment) =>
        moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", Invariant);

    /// <summary>A value with a unit suffix, choosing byte formatting for byte units.</summary>
    public static string WithUnit(double value, string unit) =>
        IsBytesUnit(unit) ? Bytes(value) : string.IsNullOrWhiteSpace(unit) ? Value(value) : Value(value) + " " + unit;

    /// <summary>Whether a metric unit names bytes ("bytes", "B", "By" — OpenTelemetry's spelling).</summary>
    public static bool IsBytesUnit(string unit) =>
        unit.Trim().ToLowerInvariant() is "b" or "by" or "byte" or "bytes";
}
