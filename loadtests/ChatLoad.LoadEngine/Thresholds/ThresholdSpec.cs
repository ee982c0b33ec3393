namespace ChatLoad.LoadEngine.Thresholds;

/// <summary>What a threshold measures.</summary>
internal enum ThresholdStat
{
    P50, P75, P95, P99, P999, Min, Mean, Max, StdDev,
    Rps, Ok, Fail, FailPercent, Count, BytesIn, BytesOut, Late, Dropped,
    Counter, Gauge, Histogram,
}

internal enum ThresholdOperator { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

internal enum GaugeAggregate { Last, Min, Mean, Max }

/// <summary>A parsed threshold. Latency limits are held in milliseconds whatever unit was written.</summary>
internal sealed record ThresholdSpec(
    string Expression,
    string? Scenario,
    string? Step,
    ThresholdStat Stat,
    string? MetricName,
    ThresholdStat LatencyStat,
    GaugeAggregate Aggregate,
    ThresholdOperator Operator,
    double Limit)
{
    public bool IsLatency => Stat is <= ThresholdStat.StdDev || Stat == ThresholdStat.Histogram;

    public bool Holds(double actual) => Operator switch
    {
        ThresholdOperator.Less => actual < Limit,
        ThresholdOperator.LessOrEqual => actual <= Limit,
        ThresholdOperator.Greater => actual > Limit,
        ThresholdOperator.GreaterOrEqual => actual >= Limit,
        ThresholdOperator.Equal => actual == Limit,
        ThresholdOperator.NotEqual => actual != Limit,
        _ => false,
    };

    public static string Symbol(ThresholdOperator op) => op switch
    {
        ThresholdOperator.Less => "<",
        ThresholdOperator.LessOrEqual => "<=",
        ThresholdOperator.Greater => ">",
        ThresholdOperator.GreaterOrEqual => ">=",
        ThresholdOperator.Equal => "==",
        _ => "!=",
    };
}
