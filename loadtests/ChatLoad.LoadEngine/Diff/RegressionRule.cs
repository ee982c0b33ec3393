using System.Globalization;
using System.Text.RegularExpressions;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Diff;

/// <summary>What a regression rule reads from a scenario's result.</summary>
public enum DiffMetricKind
{
    /// <summary>Iterations per second.</summary>
    Throughput,

    /// <summary>A percentile of the iteration latency (ms).</summary>
    Latency,

    /// <summary>The share of iterations that failed (%).</summary>
    FailPercent,

    /// <summary>A percentile of a custom latency histogram (ms), e.g. end-to-end delivery.</summary>
    Histogram,

    /// <summary>A counter's final value.</summary>
    Counter,
}

/// <summary>
/// A regression rule for <c>diff --fail-if</c> (and the comparison's <c>--baseline</c>):
/// <c>[scenario/]metric OP change</c>, e.g. <c>"e2e p99 &gt; +10%"</c> (broken when the candidate's e2e-latency p99
/// is more than 10% above the baseline's), <c>"throughput &lt; -5%"</c>, <c>"p99 &gt; +2ms"</c>, <c>"fail% &gt; +0.5"</c>.
/// A change with % is relative to the baseline; without, it is absolute in the metric's unit (ms for latency).
/// </summary>
public sealed partial record RegressionRule(
    string Expression, string? Scenario, DiffMetricKind Kind, string? Name, string Stat, string Operator, double Change, bool Relative)
{
    private static readonly string[] LatencyStats = ["p50", "p75", "p95", "p99", "p99.9", "min", "mean", "max"];

    [GeneratedRegex(@"^(?<metric>.+?)\s*(?<op><=|>=|<|>)\s*(?<sign>[+-])(?<num>\d+(?:\.\d+)?)\s*(?<unit>%|us|ms|s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>The metric as written ("e2e p99", "throughput").</summary>
    public string MetricText => Kind switch
    {
        DiffMetricKind.Throughput => "throughput",
        DiffMetricKind.FailPercent => "fail%",
        DiffMetricKind.Counter => $"counter:{Name}",
        DiffMetricKind.Histogram => $"{Name} {Stat}",
        _ => Stat,
    };

    /// <summary>Higher is worse for latency and failures, lower is worse for throughput: used to colour deltas.</summary>
    public bool IsLatency => Kind is DiffMetricKind.Latency or DiffMetricKind.Histogram;

    /// <exception cref="FormatException">The rule does not parse; the message quotes it and says why.</exception>
    public static RegressionRule Parse(string expression)
    {
        string text = (expression ?? "").Trim();
        var m = Shape().Match(text);
        if (!m.Success)
            throw new FormatException($"bad rule \"{text}\": write metric OP signed-change, e.g. \"e2e p99 > +10%\" or \"throughput < -5%\"");
        string metric = m.Groups["metric"].Value.Trim();
        string? scenario = null;
        int slash = metric.IndexOf('/');
        if (slash > 0 && !metric.StartsWith("counter:", StringComparison.OrdinalIgnoreCase))
        {
            scenario = metric[..slash].Trim();
            metric = metric[(slash + 1)..].Trim();
        }
        double change = double.Parse(m.Groups["num"].Value, CultureInfo.InvariantCulture) * (m.Groups["sign"].Value == "-" ? -1 : 1);
        string unit = m.Groups["unit"].Value;
        bool relative = unit == "%";
        var (kind, name, stat) = ParseMetric(metric, text);
        bool latency = kind is DiffMetricKind.Latency or DiffMetricKind.Histogram;
        if (!relative && unit.Length > 0)
        {
            if (!latency) throw new FormatException($"bad rule \"{text}\": '{unit}' is a time unit, but {metric} is not a latency");
            change *= unit switch { "us" => 0.001, "s" => 1000, _ => 1 };
        }
        return new RegressionRule(text, scenario, kind, name, stat, m.Groups["op"].Value, change, relative);
    }

    private static (DiffMetricKind, string?, string) ParseMetric(string metric, string text)
    {
        string lower = metric.ToLowerInvariant();
        if (lower is "throughput" or "rps") return (DiffMetricKind.Throughput, null, "rps");
        if (lower is "fail%" or "fail %") return (DiffMetricKind.FailPercent, null, "fail%");
        if (LatencyStats.Contains(lower)) return (DiffMetricKind.Latency, null, lower);
        if (lower.StartsWith("counter:", StringComparison.Ordinal) && metric.Length > 8) return (DiffMetricKind.Counter, metric[8..].Trim(), "value");
        if (lower.StartsWith("hist:", StringComparison.Ordinal))
        {
            var parts = metric[5..].Split(':');
            if (parts.Length == 2 && LatencyStats.Contains(parts[1].Trim().ToLowerInvariant()))
                return (DiffMetricKind.Histogram, parts[0].Trim(), parts[1].Trim().ToLowerInvariant());
        }
        int space = metric.LastIndexOf(' ');
        if (space > 0 && LatencyStats.Contains(lower[(space + 1)..]))
            return (DiffMetricKind.Histogram, metric[..space].Trim(), lower[(space + 1)..]);
        throw new FormatException($"bad rule \"{text}\": unknown metric '{metric}' (throughput, p50, p99, max, fail%, \"NAME p99\" for a histogram, counter:NAME)");
    }

    /// <summary>The metric's value in a scenario result; null when the scenario does not have it.</summary>
    public double? Read(ScenarioResult scenario)
    {
        switch (Kind)
        {
            case DiffMetricKind.Throughput: return scenario.Iterations.Rps;
            case DiffMetricKind.FailPercent: return scenario.Iterations.FailPercent;
            case DiffMetricKind.Latency: return scenario.Iterations.Latency.Count == 0 ? null : StatOf(scenario.Iterations.Latency, Stat);
            case DiffMetricKind.Counter: return scenario.Counters.FirstOrDefault(c => c.Name.Equals(Name, StringComparison.OrdinalIgnoreCase))?.Value;
            default:
                var histogram = FindHistogram(scenario);
                return histogram is null || histogram.Count == 0 ? null : StatOf(histogram, Stat);
        }
    }

    /// <summary>The histogram this rule names: exact name first, else the one whose name starts with it ("e2e").</summary>
    public LatencyResult? FindHistogram(ScenarioResult scenario)
    {
        var exact = scenario.Histograms.FirstOrDefault(h => h.Name.Equals(Name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var prefixed = scenario.Histograms.Where(h => h.Name.StartsWith(Name!, StringComparison.OrdinalIgnoreCase)).ToArray();
        return prefixed.Length == 1 ? prefixed[0] : null;
    }

    /// <summary>The percentile (or min, mean, max) named <paramref name="stat"/> of <paramref name="latency"/>, in ms.</summary>
    public static double StatOf(LatencyResult latency, string stat) => stat switch
    {
        "p50" => latency.P50Ms,
        "p75" => latency.P75Ms,
        "p95" => latency.P95Ms,
        "p99" => latency.P99Ms,
        "p99.9" => latency.P999Ms,
        "min" => latency.MinMs,
        "mean" => latency.MeanMs,
        _ => latency.MaxMs,
    };

    /// <summary>The change from <paramref name="baseline"/> to <paramref name="candidate"/> this rule measures
    /// (percent when relative; null when relative and the baseline is 0).</summary>
    public double? ChangeOf(double baseline, double candidate) =>
        Relative ? (baseline == 0 ? (candidate == 0 ? 0 : null) : 100 * (candidate - baseline) / Math.Abs(baseline)) : candidate - baseline;

    /// <summary>True when the change breaks the rule. A relative change from 0 to anything above 0 breaks a
    /// "greater" rule (any growth from nothing is more than any percentage).</summary>
    public bool Broken(double baseline, double candidate)
    {
        double? change = ChangeOf(baseline, candidate);
        if (change is null) return Operator.StartsWith('>') ? candidate > baseline : candidate < baseline;
        return Operator switch
        {
            ">" => change > Change,
            ">=" => change >= Change,
            "<" => change < Change,
            _ => change <= Change,
        };
    }

    /// <summary>The change as this rule reads it, for a message: "+12.5%", "+3 ms", "from 0".</summary>
    public string FormatChange(double baseline, double candidate) =>
        ChangeOf(baseline, candidate) is { } c
            ? (Relative ? $"{c:+0.#;-0.#;0}%" : $"{c:+0.###;-0.###;0}{(IsLatency ? " ms" : "")}")
            : "from 0";
}
