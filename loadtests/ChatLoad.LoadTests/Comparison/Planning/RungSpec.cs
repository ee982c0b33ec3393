namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// One point of a scenario's ladder: how the load CLI is asked to run it. <see cref="Rate"/> and
/// <see cref="Settings"/> are passed through as <c>--rate</c> and <c>--set key=value</c>. Every chat scenario reads
/// --rate as a total for the run (messages, PINGs or connections per second), so shards divide it between them.
/// </summary>
public sealed record RungSpec(string Scenario, int Clients, TimeSpan Duration, double? Rate = null)
{
    /// <summary>Scenario-specific settings (<c>--set key=value</c>), e.g. channel size.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Run before measuring and not counted (<c>--warmup</c>): every rung starts a fresh generator process,
    /// and without it the first second's JIT and cold caches on both sides would land in the p99.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Wall time the scenario spends after its measured run, for the estimate: waiting for messages in
    /// flight (the chat suite's drain), checking that slow consumers were dropped, holding a storm's connections.</summary>
    public TimeSpan Tail { get; init; }

    /// <summary>Generator processes this rung is split over (see <see cref="ComparisonOptions.MaxClientsPerShard"/>).</summary>
    public int Shards { get; init; } = 1;

    public string Label => $"{Scenario} {Clients:N0} clients" + (Rate is { } r ? $" @ {r:0.##}/s" : "") + (Shards > 1 ? $" ({Shards} shards)" : "");
}

/// <summary>One run the comparison will make: a rung, in a mode, the n-th time (1-based).</summary>
public sealed record PlannedRun(string Mode, RungSpec Rung, int Repeat);
