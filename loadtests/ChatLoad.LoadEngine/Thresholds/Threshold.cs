namespace ChatLoad.LoadEngine;

/// <summary>
/// An assertion on one stat of a scenario's result, e.g. <c>p99 &lt; 50ms</c>, <c>fail% &lt; 1</c>,
/// <c>counter:lost == 0</c>, <c>step:send:p50 &lt;= 5ms</c>, <c>rps &gt;= 1000</c>.
/// A run that breaks one exits non-zero and the reports say which.
/// </summary>
/// <remarks>
/// Grammar (documented in README, parsed by <see cref="Parse"/>):
/// <code>
/// threshold := [scenario "/"] [ "step:" NAME ":" ] stat OP number [unit]
/// stat      := p50|p75|p95|p99|p99.9|min|mean|max|stddev|rps|ok|fail|fail%|bytes_in|bytes_out
///            | count|late|dropped | counter:NAME | gauge:NAME[:last|min|mean|max] | hist:NAME:(p50|p99|...)
/// OP        := &lt; | &lt;= | &gt; | &gt;= | == | !=
/// unit      := us | ms | s   (latencies; default ms)
/// </code>
/// </remarks>
public sealed record Threshold(string Expression)
{
    /// <summary>Parses the grammar above; throws <see cref="FormatException"/> with a message that names the bad part.</summary>
    public static Threshold Parse(string expression) => ThresholdParser.Parse(expression);
}
