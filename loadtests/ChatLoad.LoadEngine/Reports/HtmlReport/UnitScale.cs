using ChatLoad.LoadEngine.Reports.Formats;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>
/// Picks a readable unit for a chart axis from the largest value plotted: bytes become KiB/MiB/GiB so an axis reads
/// "RSS (MiB)" with ticks 0–800 rather than 0–8e8.
/// </summary>
internal readonly record struct UnitScale(double Divisor, string Label)
{
    public double Apply(double value) => value / Divisor;

    public static UnitScale ForBytes(double maxValue, string suffix = "")
    {
        (double Divisor, string Label)[] steps = [(1L << 30, "GiB"), (1L << 20, "MiB"), (1L << 10, "KiB")];
        foreach (var (divisor, label) in steps)
            if (maxValue >= divisor) return new UnitScale(divisor, label + suffix);
        return new UnitScale(1, "B" + suffix);
    }

    /// <summary>Bytes get binary units; any other unit is kept as named ("count" when blank).</summary>
    public static UnitScale ForUnit(string unit, double maxValue) =>
        ReportNumbers.IsBytesUnit(unit) ? ForBytes(maxValue)
        : new UnitScale(1, string.IsNullOrWhiteSpace(unit) ? "count" : unit.Trim());
}
