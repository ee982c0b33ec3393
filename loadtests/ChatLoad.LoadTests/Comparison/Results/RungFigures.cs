using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The figures the comparison plots for one run, read from the run's <see cref="RunResult"/> (the chat suite's
/// counters, histograms and server gauges), falling back to what the comparison sampled of the server itself from
/// /proc (the only source for servers without a metrics endpoint).
/// </summary>
public sealed record RungFigures
{
    /// <summary>Messages delivered per second for chat scenarios, connects per second over the storm for
    /// connect-storm, iterations per second otherwise.</summary>
    public double Throughput { get; init; }
    public string ThroughputUnit { get; init; } = "iterations/s";

    /// <summary>The rate the generator was asked for (--rate), in the scenario's own unit; null for closed models.</summary>
    public double? OfferedRate { get; init; }

    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }
    /// <summary>How many latency samples the percentiles rest on.</summary>
    public long LatencySamples { get; init; }
    /// <summary>Which latency the percentiles are: "end-to-end delivery" (send to each receiver) or the iteration's own.</summary>
    public string LatencySource { get; init; } = "";

    /// <summary>Lost messages as a percentage of those expected; null where the scenario sends none.</summary>
    public double? LossPercent { get; init; }
    public long Lost { get; init; }
    public long Expected { get; init; }
    public long OutOfOrder { get; init; }

    public double FailPercent { get; init; }
    public long Failures { get; init; }
    public long Iterations { get; init; }
    /// <summary>Every error status of the iterations, most frequent first: "1,204 × refused: ...; 3 × timeout".</summary>
    public string? TopError { get; init; }

    /// <summary>Clients that could not be set up (connect, register, join) before the run, and why, every one of them
    /// by its reason ("server full 551, refused 212"); reasons that do not add up to the count are said to.</summary>
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
    /// <summary>Server OS threads per connected client above its idle count.</summary>
    public double? ThreadsPerClient { get; init; }
    /// <summary>Server CPU time per delivered message, in microseconds (mean CPU × measured time ÷ deliveries).</summary>
    public double? CpuPerDeliveryUs { get; init; }
    /// <summary>Where the server figures came from: "metrics endpoint" or "/proc sampling".</summary>
    public string ServerFiguresSource { get; init; } = "";

    /// <summary>The generator's CPU over its busiest seconds (as many as the measured run lasted), % of its cores.</summary>
    public double GeneratorCpuPercent { get; init; }

    /// <summary>The load generator was the bottleneck: its CPU over the busiest seconds reached
    /// <see cref="GeneratorCpuLimit"/>, or the engine itself warned of sustained CPU saturation. Such a point's
    /// figures describe the generator, so verdicts leave it out and mark it.</summary>
    public bool GeneratorSaturated { get; init; }

    public IReadOnlyList<string> GeneratorWarnings { get; init; } = [];
    public IReadOnlyList<string> BrokenThresholds { get; init; } = [];

    /// <summary>Generator CPU (% of its cores) at which it counts as saturated. Default 90%, the usual advice for
    /// load generators. Late iterations alone do not count: with the generator's CPU to spare they are the target
    /// pushing back (a send that waits on a full socket), which the schedule-based latency already charges to it.</summary>
    public const double GeneratorCpuLimit = 90;

    /// <summary>Names the chat suite uses (issue 4); matched without regard to case.</summary>
    public static class Names
    {
        public const string Delivered = "messages delivered";
        public const string Expected = "messages expected";
        public const string Lost = "lost";
        public const string OutOfOrder = "out of order";
        public const string ConnectFailures = "connect failures";
        public const string SetupFailed = ChatMetricNames.SetupFailedPrefix;
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
        // Peaks from both sources: a scrape can time out exactly when the server is busiest (creating thousands of
        // threads), while /proc is read by the comparison itself every second.
        double? threads = Max(threadsGauge?.Max, Positive(sampled?.MaxThreads));
        double? rss = Max(rssGauge?.Max, Positive(sampled?.MaxRssMb));
        // The comparison's own /proc reading of the server's CPU is timed by the comparison's clock, not by an HTTP
        // scrape that may answer late; the endpoint's figure is used only when /proc gave none.
        // The endpoint's CPU figure covers the measured seconds (the server times it itself: CPU-seconds over its own
        // uptime between scrapes); /proc sampling covers the whole rung, connects included, so it is the fallback.
        double? cpu = cpuGauge?.Mean ?? (sampled is { MeanCpuPercent: > 0 } s ? s.MeanCpuPercent : null);
        int clients = rung.Clients - (int)(Counter(Names.ConnectFailures) ?? 0);
        // Memory per client only means something once there is memory above the idle baseline to share out.
        double? perClient = rss is { } r && serverIdle is { } idle && clients > 0 && r > idle.RssMb
            ? (r - idle.RssMb) * 1024 / clients
            : null;
        double? threadsPerClient = threads is { } t && serverIdle is { } idle2 && clients > 0 ? Math.Max(0, t - idle2.Threads) / clients : null;

        bool isStorm = rung.Scenario == "connect-storm";
        double? deliveredPerSecond = delivered is null ? null : MeasuredRate(scenario, Names.Delivered) ?? delivered / seconds;
        double throughput = deliveredPerSecond ?? (isStorm ? StormRate(scenario, rung) : scenario.Iterations.Rps);
        double? cpuPerDelivery = cpu is { } c && deliveredPerSecond is > 0 ? c / 100 / deliveredPerSecond.Value * 1e6 : null;

        var errors = scenario.Iterations.Statuses.Where(x => x.IsError).OrderByDescending(x => x.Count).ToArray();
        double generatorCpu = BusiestSecondsMean(result.Generator, (int)Math.Ceiling(seconds));
        bool cpuWarning = result.Generator.Warnings.Any(w => w.StartsWith("Generator CPU", StringComparison.Ordinal));

        return new RungFigures
        {
            Throughput = throughput,
            ThroughputUnit = delivered is not null ? "messages/s" : isStorm ? "connects/s" : "iterations/s",
            OfferedRate = rung.Rate,
            P50Ms = latency?.P50Ms,
            P99Ms = latency?.P99Ms,
            MaxMs = latency?.MaxMs,
            LatencySamples = latency?.Count ?? 0,
            LatencySource = e2e is not null ? "end-to-end delivery" : latency is not null ? (isStorm ? "connect + register" : "iteration") : "",
            LossPercent = expected > 0 ? 100.0 * lost / expected : null,
            Lost = lost,
            Expected = expected,
            OutOfOrder = Counter(Names.OutOfOrder) ?? 0,
            ConnectFailures = Counter(Names.ConnectFailures) ?? 0,
            SetupFailures = SetupFailureText(scenario, Counter(Names.ConnectFailures) ?? 0),
            FailPercent = scenario.Iterations.FailPercent,
            Failures = scenario.Iterations.FailCount,
            Iterations = scenario.Iterations.Count,
            TopError = errors.Length == 0 ? null : string.Join("; ", errors.Select(x =>
                $"{x.Count:N0} × {x.StatusCode}" + (string.IsNullOrWhiteSpace(x.SampleMessage) ? "" : $": {x.SampleMessage}"))),
            ServerThreads = threads,
            ServerRssMb = rss,
            ServerCpuPercent = cpu,
            ServerGcHeapMb = Gauge(Names.ServerGcHeap)?.Max,
            ServerThreadPoolQueue = Gauge(Names.ServerThreadPoolQueue)?.Max,
            RssPerClientKb = perClient,
            ThreadsPerClient = threadsPerClient,
            CpuPerDeliveryUs = cpuPerDelivery,
            Delivered = delivered,
            ServerCpuSecondsFromProc = sampled is { CpuSeconds: > 0 } proc ? proc.CpuSeconds : null,
            ServerFiguresSource = fromEndpoint ? "metrics endpoint" : sampled is not null ? "/proc sampling" : "none",
            GeneratorCpuPercent = generatorCpu,
            GeneratorSaturated = cpuWarning || generatorCpu >= GeneratorCpuLimit,
            GeneratorWarnings = result.Generator.Warnings,
            BrokenThresholds = result.Thresholds.Where(x => !x.Passed).Select(x => $"{x.Expression} ({x.Message})").ToArray(),
        };
    }

    /// <summary>Connects per second over the storm itself — from the first second to the last in which connects
    /// completed, never shorter than the storm was asked to take — not over the hold that follows it.</summary>
    private static double StormRate(ScenarioResult scenario, RungSpec rung)
    {
        long ok = scenario.Iterations.OkCount;
        double planned = rung.Rate is > 0 ? rung.Clients / rung.Rate.Value : scenario.Duration.TotalSeconds;
        double lastSecond = scenario.TimeSeries.Where(p => p.Ok > 0).Select(p => p.Second).DefaultIfEmpty(planned).Max();
        return ok / Math.Max(0.001, Math.Max(planned, lastSecond));
    }

    /// <summary>A counter's rate over the measured seconds, from the per-second series (counters count from init,
    /// warm-up included, so their final value over the measured time would overstate the rate).</summary>
    private static double? MeasuredRate(ScenarioResult scenario, string counter)
    {
        var points = scenario.TimeSeries
            .Select(p => (p.Second, Value: p.Metrics.FirstOrDefault(m => Same(m.Key, counter)).Value, Has: p.Metrics.Keys.Any(k => Same(k, counter))))
            .Where(p => p.Has).OrderBy(p => p.Second).ToArray();
        if (points.Length < 2 || points[^1].Second <= points[0].Second) return null;
        return (points[^1].Value - points[0].Value) / (points[^1].Second - points[0].Second);
    }

    /// <summary>The mean of the generator's busiest <paramref name="seconds"/> one-second CPU samples.</summary>
    private static double BusiestSecondsMean(GeneratorHealth generator, int seconds)
    {
        var busiest = generator.Samples.Select(x => x.CpuPercent).OrderByDescending(x => x).Take(Math.Max(1, seconds)).ToArray();
        return busiest.Length == 0 ? generator.CpuPercentMean : busiest.Average();
    }

    /// <summary>"server full 551, refused 212" from the per-reason counters (exact across shards), falling back to
    /// the scenario's note; any clients the reasons do not cover are counted as unexplained, never dropped.</summary>
    private static string? SetupFailureText(ScenarioResult scenario, long failures)
    {
        if (failures == 0) return null;
        var reasons = scenario.Counters
            .Where(c => c.Name.StartsWith(Names.SetupFailed, StringComparison.OrdinalIgnoreCase) && c.Value > 0)
            .OrderByDescending(c => c.Value)
            .Select(c => (Reason: c.Name[Names.SetupFailed.Length..], c.Value)).ToArray();
        if (reasons.Length == 0)
            return scenario.Notes.FirstOrDefault(n => n.StartsWith("setup failures", StringComparison.OrdinalIgnoreCase));
        long covered = reasons.Sum(r => r.Value);
        string text = "setup failures: " + string.Join(", ", reasons.Select(r => $"{r.Reason} {r.Value:N0}"));
        return covered == failures ? text : $"{text}, {failures - covered:N0} without a recorded reason";
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b, StringComparison.OrdinalIgnoreCase);

    private static double? Positive(double? v) => v is > 0 ? v : null;

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
