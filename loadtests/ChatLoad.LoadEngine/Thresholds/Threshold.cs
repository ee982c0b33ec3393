namespace ChatLoad.LoadEngine;

/// <summary>
/// An assertion on one stat of a scenario's result, e.g. <c>p99 &lt; 50ms</c>, <c>fail% &lt; 1</c>,
/// <c>counter:lost == 0</c>, <c>step:send:p50 &lt;= 5ms</c>, <c>rps &gt;= 1000</c>.
/// A run that breaks one exits non-zero and the reports say which.
/// </summary>
/// <remarks>
/// Grammar (documented in README, parsed by <see cref="Create(string)"/>):
/// <code>
/// threshold := [scenario "/"] [ "step:" NAME ":" ] stat OP number [unit]
/// stat      := p50|p75|p95|p99|p99.9|min|mean|max|stddev|rps|ok|fail|fail%|bytes_in|bytes_out
///            | count|late|dropped | counter:NAME | gauge:NAME[:last|min|mean|max] | hist:NAME:(p50|p99|...)
/// OP        := &lt; | &lt;= | &gt; | &gt;= | == | !=
/// unit      := us | ms | s   (latencies; default ms)
/// </code>
/// NBomber's thresholds are lambdas over the stats; ours are expressions, because a threshold has to travel with the
/// result: shard results are merged and their thresholds evaluated again on the merged data, and the JSON config and
/// <c>--threshold</c> give the same expressions.
/// </remarks>
public sealed record Threshold
{
    internal Threshold(string expression) => Expression = expression;

    /// <summary>The expression as written (trimmed).</summary>
    public string Expression { get; }

    /// <summary>Parses the grammar above (NBomber's name); throws <see cref="FormatException"/> with a message that
    /// names the bad part, so a broken threshold fails when the scenario is built, not after the run.</summary>
    public static Threshold Create(string expression) => ThresholdParser.Parse(expression);

    /// <summary>A threshold on one step's stats: <c>Threshold.Create("login", "p99 &lt; 200ms")</c> is
    /// <c>step:login:p99 &lt; 200ms</c>.</summary>
    public static Threshold Create(string stepName, string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepName);
        return ThresholdParser.Parse($"step:{stepName}:{expression.Trim()}");
    }

    /// <inheritdoc/>
    public override string ToString() => Expression;
}
