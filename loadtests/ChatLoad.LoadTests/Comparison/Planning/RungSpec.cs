namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// One point of a scenario's ladder: how the load CLI is asked to run it. <see cref="Rate"/> and
/// <see cref="Settings"/> are passed through as <c>--rate</c> and <c>--set key=value</c>. Every chat scenario reads
/// --rate as a total for the run (messages, PINGs or connections per second), so shards divide it between them.
/// A rung with a <see cref="Search"/> is not run at one rate: the comparison searches its highest sustainable rate.
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

    /// <summary>Set for a saturation search: the rates to try and the service level a rate must meet.</summary>
    public SaturationSearchSpec? Search { get; init; }

    public string Label => $"{Scenario} {Clients:N0} clients" + (Rate is { } r ? $" @ {r:N0}/s" : "") + (Shards > 1 ? $" ({Shards} shards)" : "");

    /// <summary>This rung at one offered rate (a probe of its search).</summary>
    public RungSpec AtRate(double rate) => this with { Rate = Math.Round(rate) };
}

/// <summary>
/// A bounded search for a scenario's highest sustainable offered rate at one client count: step the rate up by
/// <see cref="Factor"/> from <see cref="StartRate"/> until a probe misses the service level (p99 end-to-end latency
/// above <see cref="SloP99Ms"/>, any loss, failed clients or iterations) or <see cref="MaxRate"/> is reached, then
/// bisect between the last rate held and the first missed, <see cref="BisectSteps"/> times. A probe whose load
/// generator saturated ends the search: its figures describe the generator, so the result is "at least" the last
/// rate held.
/// </summary>
public sealed record SaturationSearchSpec
{
    /// <summary>First offered rate, in the scenario's --rate unit (messages sent per second for room-chat).</summary>
    public required double StartRate { get; init; }

    /// <summary>Step-up multiplier. Default 2: a doubling ladder finds the order of magnitude in a few probes.</summary>
    public double Factor { get; init; } = 2;

    /// <summary>Highest rate tried; reaching it with the service level held is reported as "at least" that rate.</summary>
    public required double MaxRate { get; init; }

    /// <summary>Bisections between the last rate held and the first missed. Each halves the uncertainty (on a log
    /// scale): with factor 2, one step leaves it within ±19%, three within ±4%.</summary>
    public int BisectSteps { get; init; } = 1;

    /// <summary>The service level: p99 end-to-end latency in ms. Default 50 ms: a chat user notices a tenth of a
    /// second; half of that leaves room for the network a real deployment adds.</summary>
    public double SloP99Ms { get; init; } = 50;

    /// <summary>Deliveries each offered message makes (room size − 1 in room-chat), to state rates as deliveries/s.</summary>
    public double DeliveriesPerMessage { get; init; } = 1;

    /// <summary>Try a missed rate once more before it counts as missed. Default on: on a shared machine a single
    /// probe can catch another process's burst, and one hiccup must not decide a model's limit.</summary>
    public bool RetryMisses { get; init; } = true;

    /// <summary>Most rates the search can try: every step up, then the bisections.</summary>
    public int MaxRates => (int)Math.Ceiling(Math.Log(MaxRate / StartRate, Factor)) + 1 + BisectSteps;

    /// <summary>Most probes the search can take: each rate, and a retry of each that missed.</summary>
    public int MaxProbes => MaxRates * (RetryMisses ? 2 : 1);

    /// <summary>Probes a typical search takes, for the estimate: about two thirds of the ladder, the bisections,
    /// and a retry of the two rates that usually miss (one step up, one bisection).</summary>
    public int ExpectedProbes => Math.Max(2, (int)Math.Ceiling((MaxRates - BisectSteps) * 0.6)) + BisectSteps + (RetryMisses ? Math.Min(2, 1 + BisectSteps) : 0);
}

/// <summary>One run the comparison will make: a rung, on a server, the n-th time (1-based). A search rung is one
/// planned run that expands into its probes and repeats.</summary>
public sealed record PlannedRun(string Server, RungSpec Rung, int Repeat);
