using System.Globalization;
using ChatLoad.LoadEngine.Thresholds;

namespace ChatLoad.LoadEngine;

/// <summary>Parses the threshold grammar documented on <see cref="Threshold"/>.</summary>
internal static class ThresholdParser
{
    private static readonly (string Text, ThresholdOperator Op)[] Operators =
    [
        ("<=", ThresholdOperator.LessOrEqual), (">=", ThresholdOperator.GreaterOrEqual), ("==", ThresholdOperator.Equal),
        ("!=", ThresholdOperator.NotEqual), ("<", ThresholdOperator.Less), (">", ThresholdOperator.Greater),
    ];

    private static readonly Dictionary<string, ThresholdStat> LatencyStats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["p50"] = ThresholdStat.P50, ["p75"] = ThresholdStat.P75, ["p95"] = ThresholdStat.P95, ["p99"] = ThresholdStat.P99,
        ["p99.9"] = ThresholdStat.P999, ["p999"] = ThresholdStat.P999, ["min"] = ThresholdStat.Min, ["mean"] = ThresholdStat.Mean,
        ["max"] = ThresholdStat.Max, ["stddev"] = ThresholdStat.StdDev,
    };

    private static readonly Dictionary<string, ThresholdStat> CountStats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rps"] = ThresholdStat.Rps, ["ok"] = ThresholdStat.Ok, ["fail"] = ThresholdStat.Fail, ["fail%"] = ThresholdStat.FailPercent,
        ["count"] = ThresholdStat.Count, ["bytes_in"] = ThresholdStat.BytesIn, ["bytes_out"] = ThresholdStat.BytesOut,
        ["late"] = ThresholdStat.Late, ["dropped"] = ThresholdStat.Dropped,
    };

    private static readonly Dictionary<string, GaugeAggregate> Aggregates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["last"] = GaugeAggregate.Last, ["min"] = GaugeAggregate.Min, ["mean"] = GaugeAggregate.Mean, ["max"] = GaugeAggregate.Max,
    };

    public static Threshold Parse(string expression)
    {
        ParseSpec(expression);
        return new Threshold(expression.Trim());
    }

    /// <summary>Throws <see cref="FormatException"/> whose message quotes the expression and names the bad part.</summary>
    public static ThresholdSpec ParseSpec(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression)) throw Bad(expression ?? "", "it is empty");
        var text = expression.Trim();

        var (opIndex, opText, op) = FindOperator(text);
        if (opIndex < 0) throw Bad(text, "no comparison operator (one of < <= > >= == !=)");
        var left = text[..opIndex].Trim();
        var right = text[(opIndex + opText.Length)..].Trim();
        if (left.Length == 0) throw Bad(text, "nothing before the operator");
        if (right.Length == 0) throw Bad(text, "no number after the operator");

        string? scenario = null, step = null;
        int slash = left.IndexOf('/');
        if (slash >= 0)
        {
            scenario = left[..slash].Trim();
            left = left[(slash + 1)..].Trim();
            if (scenario.Length == 0) throw Bad(text, "empty scenario name before '/'");
        }
        if (left.StartsWith("step:", StringComparison.OrdinalIgnoreCase))
        {
            int colon = left.IndexOf(':', 5);
            if (colon < 0) throw Bad(text, "a step threshold reads step:NAME:stat, e.g. step:send:p99 < 5ms");
            step = left[5..colon].Trim();
            left = left[(colon + 1)..].Trim();
            if (step.Length == 0) throw Bad(text, "empty step name");
        }

        ThresholdStat stat, latencyStat = ThresholdStat.P50;
        string? metric = null;
        var aggregate = GaugeAggregate.Last;
        var parts = left.Split(':');
        switch (parts[0].ToLowerInvariant())
        {
            case "counter" when parts.Length == 2 && parts[1].Length > 0:
                stat = ThresholdStat.Counter; metric = parts[1];
                break;
            case "gauge" when parts.Length is 2 or 3 && parts[1].Length > 0:
                stat = ThresholdStat.Gauge; metric = parts[1];
                if (parts.Length == 3 && !Aggregates.TryGetValue(parts[2], out aggregate))
                    throw Bad(text, $"unknown gauge aggregate '{parts[2]}' (use last, min, mean or max)");
                break;
            case "hist" when parts.Length == 3 && parts[1].Length > 0:
                stat = ThresholdStat.Histogram; metric = parts[1];
                if (!LatencyStats.TryGetValue(parts[2], out latencyStat))
                    throw Bad(text, $"unknown histogram stat '{parts[2]}' (use p50, p75, p95, p99, p99.9, min, mean, max or stddev)");
                break;
            case "counter" or "gauge" or "hist":
                throw Bad(text, "write counter:NAME, gauge:NAME[:last|min|mean|max] or hist:NAME:p99");
            default:
                if (parts.Length != 1) throw Bad(text, $"unknown stat '{left}'");
                if (LatencyStats.TryGetValue(left, out stat)) latencyStat = stat;
                else if (!CountStats.TryGetValue(left, out stat))
                    throw Bad(text, $"unknown stat '{left}' (use p50, p75, p95, p99, p99.9, min, mean, max, stddev, rps, ok, fail, fail%, count, bytes_in, bytes_out, late, dropped, counter:NAME, gauge:NAME, hist:NAME:p99)");
                break;
        }
        if (step is not null && stat is ThresholdStat.Counter or ThresholdStat.Gauge or ThresholdStat.Histogram or ThresholdStat.Late or ThresholdStat.Dropped)
            throw Bad(text, $"'{left}' is a scenario-wide stat and cannot be given for a step");

        bool isLatency = stat is <= ThresholdStat.StdDev or ThresholdStat.Histogram;
        double limit = ParseLimit(text, right, isLatency, stat == ThresholdStat.FailPercent);
        return new ThresholdSpec(text, scenario, step, stat, metric, latencyStat, aggregate, op, limit);
    }

    private static (int Index, string Text, ThresholdOperator Op) FindOperator(string text)
    {
        for (int i = 0; i < text.Length; i++)
            foreach (var (opText, op) in Operators)
                if (string.CompareOrdinal(text, i, opText, 0, opText.Length) == 0)
                    return (i, opText, op);
        return (-1, "", default);
    }

    private static double ParseLimit(string text, string right, bool isLatency, bool isPercent)
    {
        int unitStart = right.Length;
        while (unitStart > 0 && char.IsLetter(right[unitStart - 1])) unitStart--;
        var unit = right[unitStart..].ToLowerInvariant();
        var number = right[..unitStart].Trim();
        if (isPercent && number.EndsWith('%')) number = number[..^1].Trim();
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw Bad(text, $"'{right}' is not a number");
        if (!isLatency)
        {
            if (unit.Length > 0) throw Bad(text, $"unit '{unit}' given for a stat that is not a latency");
            return value;
        }
        return unit switch
        {
            "" or "ms" => value,
            "us" => value / 1000,
            "s" => value * 1000,
            _ => throw Bad(text, $"unknown unit '{unit}' (use us, ms or s)"),
        };
    }

    private static FormatException Bad(string expression, string why) => new($"bad threshold \"{expression}\": {why}");
}
