using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The figures the comparison plots for one run, read from the run's <see cref="RunResult"/> (the chat suite's
/// counters, histograms and server gauges), falling back to what the comparison sampled of the server itself.
/// </summary>
public sealed record RungFigures
{
    /// <summary>Messages delivered per second for chat scenarios, iterations per second otherwise.</summary>
    public double Throughput { get; init; }
    public string ThroughputUnit { get; init; } = "iterations/s";

    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    /// <summary>How many latency samples the percentiles rest on.</summary>
    public long LatencySamples { get; init; }
    /// <summary>Which latency the percentiles are: "e2e latency" (send to each receiver) or the iteration's own.</summary>
    public string LatencySource { get; init; } = "";

    /// <summary>Lost messages as a percentage of those expected; null where the scenario sends none.</summary>
    public double? LossPercent { get; init; }
    public long Lost { get; init; }
    public long Expected { get; init; }
    public long OutOfOrder { get; init; }

    public double FailPercent { get; init; }
    public long Failures { get; init; }
    public long Iterations { get; init; }
    /// <summary>The most frequent error status and its sample message, e.g. ("refused", "ERROR :Server full").</summary>
    public string? TopError { get; init; }

    /// <summary>Clients that could not be set up (connect, register, join) before the run — refused, timed out, told
    /// "Server full" — and the scenario's own note of why ("setup failures: refused 1764").</summary>
    public long ConnectFailures { get; init; }
    public string? SetupFailures { get; init; }

    public double? ServerThreads { get; init; }
    public double? ServerRssMb { get; init; }
    public double? ServerCpuPercent { get; init; }
    public double? ServerGcHeapMb { get; init; }
    public double? ServerThreadPoolQueue { get; init; }
    /// <summary>Messages delivered over the whole run (chat scenarios; null otherwise).</summary>
    public long? Delivered { get; init; }
    /// <summary>CPU seconds the server process used during the rung, from /proc for every server (ChatLoad's and the
    /// reference servers alike), so that deliveries per CPU-second compare like with like.</summary>
    public double? ServerCpuSecondsFromProc { get; init; }
    /// <summary>Server memory per connected client in KiB: (peak RSS − idle RSS before the rung) / clients.</summary>
    public double? RssPerClientKb { get; init; }
    /// <summary>Where the server figures came from: "metrics endpoint" or "/proc sampling".</summary>
    public string ServerFiguresSource { get; init; } = "";

    public IReadOnlyList<string> GeneratorWarnings { get; init; } = [];
    public IReadOnlyList<string> BrokenThresholds { get; init; } = [];

    /// <summary>Names the chat suite uses (issue 4); matched without regard to case.</summary>
    public static class Names
    {
        public const string Delivered = "messages delivered";
        public const string Expected = "messages expected";
        public const string Lost = "lost";
        public const string OutOfOrder = "out of order";
        public const string ConnectFailures = "connect failures";
        public const string SetupFailuresNote = "setup failures";
        public const string E2eLatency = "e2e latency";
        public const string ServerThreads = "server threads";
        public const string ServerRss = "server rss MB";
        public const string ServerCpu = "server cpu %";
        public const string ServerGcHeap = "server gc heap MB";
        public const string ServerThreadPoolQueue = "server threadpool queue";
    }

    public static RungFigures From(RunResult result, RungSpec rung, ProcessFigures? serverIdle, SampledServerFigures? sampled)
    {
        var scenario = result.Scenarios.FirstOrDefault(s => string.Equals(s.Name, rung.Scenario, StringComparison.OrdinalIgnoreCase))
                       ?? result.Scenarios.FirstOrDefault()
                       ?? throw new InvalidDataException("the run result holds no scenario");

        long? Counter(string name) => scenario.Counters.FirstOrDefault(c => Same(c.Name, name))?.Value;
        GaugeResult? Gauge(string name) => scenario.Gauges.FirstOrDefault(g => Same(g.Name, name));

        double seconds = Math.Max(scenario.Duration.TotalSeconds, 0.001);
        long? delivered = Counter(Names.Delivered);
        long expected = Counter(Names.Expected) ?? 0;
        long lost = Counter(Names.Lost) ?? 0;

        var e2e = scenario.Histograms.FirstOrDefault(h => Same(h.Name, Names.E2eLatency) && h.Count > 0);
        var latency = e2e ?? (scenario.Iterations.Latency.Count > 0 ? scenario.Iterations.Latency : null);

        var threadsGauge = Gauge(Names.ServerThreads);
        var rssGauge = Gauge(Names.ServerRss);
        var cpuGauge = Gauge(Names.ServerCpu);
        bool fromEndpoint = threadsGauge is not null || rssGauge is not null;
        double? threads = threadsGauge?.Max ?? Positive(sampled?.MaxThreads);
        double? rss = rssGauge?.Max ?? Positive(sampled?.MaxRssMb);
        double? cpu = cpuGauge?.Mean ?? sampled?.MeanCpuPercent;
        // Memory per client only means something once there is memory above the idle baseline to share out.
        double? perClient = rss is { } r && serverIdle is { } idle && rung.Clients > 0 && r > idle.RssMb
            ? (r - idle.RssMb) * 1024 / rung.Clients
            : null;

        var topError = scenario.Iterations.Statuses.Where(s => s.IsError).OrderByDescending(s => s.Count).FirstOrDefault();

        return new RungFigures
        {
            Throughput = delivered is { } d ? d / seconds : scenario.Iterations.Rps,
            ThroughputUnit = delivered is not null ? "messages/s" : "iterations/s",
            P50Ms = latency?.P50Ms,
            P99Ms = latency?.P99Ms,
            LatencySamples = latency?.Count ?? 0,
            LatencySource = e2e is not null ? "end-to-end delivery" : latency is not null ? "iteration" : "",
            LossPercent = expected > 0 ? 100.0 * lost / expected : null,
            Lost = lost,
            Expected = expected,
            OutOfOrder = Counter(Names.OutOfOrder) ?? 0,
            ConnectFailures = Counter(Names.ConnectFailures) ?? 0,
            SetupFailures = scenario.Notes.FirstOrDefault(n => n.StartsWith(Names.SetupFailuresNote, StringComparison.OrdinalIgnoreCase)),
            FailPercent = scenario.Iterations.FailPercent,
            Failures = scenario.Iterations.FailCount,
            Iterations = scenario.Iterations.Count,
            TopError = topError is null ? null
                : $"{topError.Count:N0} × {topError.StatusCode}" + (string.IsNullOrWhiteSpace(topError.SampleMessage) ? "" : $": {topError.SampleMessage}"),
            ServerThreads = threads,
            ServerRssMb = rss,
            ServerCpuPercent = cpu,
            ServerGcHeapMb = Gauge(Names.ServerGcHeap)?.Max,
            ServerThreadPoolQueue = Gauge(Names.ServerThreadPoolQueue)?.Max,
            RssPerClientKb = perClient,
            Delivered = delivered,
            ServerCpuSecondsFromProc = sampled is { CpuSeconds: > 0 } s ? s.CpuSeconds : null,
            ServerFiguresSource = fromEndpoint ? "metrics endpoint" : sampled is not null ? "/proc sampling" : "none",
            GeneratorWarnings = result.Generator.Warnings,
            BrokenThresholds = result.Thresholds.Where(t => !t.Passed).Select(t => $"{t.Expression} ({t.Message})").ToArray(),
        };
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b, StringComparison.OrdinalIgnoreCase);

    private static double? Positive(double? v) => v is > 0 ? v : null;
}
