using System.Globalization;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>How a figure's median and spread read in a table cell: "12.3" or "12.3 (10.1–15.0)".</summary>
public static class CellText
{
    public static string Of(Spread? spread, Figure figure)
    {
        if (spread is null) return "–";
        string median = Number(spread.Median, figure);
        return spread.HasRange ? $"{median} ({Number(spread.Min, figure)}–{Number(spread.Max, figure)})" : median;
    }

    public static string Number(double value, Figure figure)
    {
        if (figure == Figure.Threads || figure == Figure.Throughput || figure == Figure.Rss)
            return value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);
        return Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
            : Math.Abs(value) >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
            : value.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>"ok", "failed", "2/3 ok" — the state of a point's repeats.</summary>
    public static string Status(PointSummary point)
    {
        int ran = point.Runs.Count(r => !r.Skipped);
        if (point.AllSkipped) return "skipped";
        if (point.FailedCount == 0) return ran == 1 ? "ok" : $"{ran}/{ran} ok";
        if (point.SucceededCount == 0) return ran == 1 ? "failed" : $"{ran}/{ran} failed";
        return $"{point.SucceededCount}/{ran} ok";
    }
}
