using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Tests.Reports;

/// <summary>
/// Realistic results built in code (deterministic: shapes from formulas, no randomness): a chat run with steps,
/// failures, server gauges, a custom end-to-end histogram, thresholds that pass and fail, a saturated generator and
/// late iterations; plus a clean minimal run and a run whose names try to break out of HTML/CSV/Markdown.
/// </summary>
internal static class RunResultFixtures
{
    public const string HostileName = "<script>alert('x')</script> & \"quoted\", | pipe";

    public static RunResult ChatRun(int seconds = 30) => new()
    {
        Info = new TestInfo
        {
            TestName = "room-chat vs threads",
            SessionId = "2026-11-25_20.40.16_ab12",
            Started = new DateTimeOffset(2026, 11, 25, 20, 40, 16, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(seconds + 5),
            Command = "./scripts/loadtest.sh --scenario room-chat --target 127.0.0.1:6667 --clients 500 --rate 2 --duration 30s",
            Machine = "ci-runner-7",
            OperatingSystem = "Debian GNU/Linux 12 (bookworm)",
            Runtime = ".NET 10.0.1",
            ProcessorCount = 2,
            Properties = new Dictionary<string, string> { ["target"] = "127.0.0.1:6667", ["server mode"] = "threads", ["clients"] = "500" },
        },
        Scenarios = [RoomChat(seconds), PingPong(seconds)],
        Thresholds =
        [
            new ThresholdResult("room-chat", "fail % < 1", true, 0.42, "0.42% of iterations failed"),
            new ThresholdResult("room-chat", "p99 < 50ms", false, 87.5, "p99 was 87.5 ms"),
            new ThresholdResult("room-chat", "lost == 0", true, 0, "no messages lost"),
        ],
        Generator = new GeneratorHealth
        {
            CpuPercentMean = 71.5, CpuPercentMax = 98.2, SchedulerLagP99Ms = 14.2, SchedulerLagMaxMs = 41.7,
            ThreadPoolQueueMax = 312, ThreadPoolThreadsMax = 9,
            Warnings = ["generator CPU at 98% for 12 s: results may understate the target"],
            Samples = Enumerable.Range(0, seconds).Select(s => new GeneratorSample(s, 55 + 40 * Math.Sin(s / 5.0) * Math.Sin(s / 5.0),
                2 + s % 7, s % 10 == 9 ? 312 : s % 5, 6 + s % 4)).ToList(),
        },
        Notes = ["Server pinned to core 0, generator to core 1 (taskset)."],
        ShardCount = 2,
    };

    public static RunResult MinimalRun() => new()
    {
        Info = new TestInfo
        {
            TestName = "ping-pong",
            SessionId = "s1",
            Started = new DateTimeOffset(2026, 11, 25, 21, 0, 0, TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(3),
        },
        Scenarios = [PingPong(3)],
    };

    public static RunResult HostileRun()
    {
        var run = MinimalRun();
        var scenario = PingPong(5) with
        {
            Name = HostileName,
            Steps = [Stats(HostileName, 100, 1, 5, 1.0, [new StatusCount("err<b>", true, 1, "</td></tr></table><script>alert(1)</script>")])],
            Counters = [new CounterResult(HostileName, "msg", 7)],
            Notes = [HostileName],
        };
        return run with
        {
            Info = run.Info with { TestName = HostileName, Properties = new Dictionary<string, string> { [HostileName] = HostileName } },
            Scenarios = [scenario],
            Thresholds = [new ThresholdResult(HostileName, "p99 < 1ms", false, 2, HostileName)],
            Notes = [HostileName],
        };
    }

    private static ScenarioResult RoomChat(int seconds)
    {
        var send = Stats("send", 29_874, 126, seconds, 0.8,
        [
            new StatusCount("ok", false, 29_874),
            new StatusCount("timeout", true, 101, "no echo within 5 s"),
            new StatusCount("refused", true, 25, "connection refused"),
        ]);
        var deliver = Stats("deliver", 29_874, 0, seconds, 2.4, [new StatusCount("ok", false, 29_874)]);
        var iterations = Stats("iteration", 29_874, 126, seconds, 3.1,
        [
            new StatusCount("ok", false, 29_874),
            new StatusCount("timeout", true, 101, "no echo within 5 s"),
            new StatusCount("refused", true, 25, "connection refused"),
        ]);
        return new ScenarioResult
        {
            Name = "room-chat",
            Duration = TimeSpan.FromSeconds(seconds),
            LoadSimulations = ["warm-up 5 s", "inject 1000/s for 30 s"],
            Iterations = iterations,
            Steps = [send, deliver],
            Counters =
            [
                new CounterResult("messages expected", "messages", 149_370),
                new CounterResult("messages delivered", "messages", 149_370),
                new CounterResult("lost", "messages", 0),
                new CounterResult("out of order", "messages", 0),
            ],
            Gauges =
            [
                new GaugeResult("server threads", "threads", 512, 530.4, 541, 538),
                new GaugeResult("server RSS", "bytes", 180_000_000, 232_500_000, 260_000_000, 259_000_000),
                new GaugeResult("server CPU", "%", 12, 48.5, 91, 40),
                new GaugeResult("server GC heap", "bytes", 20_000_000, 41_000_000, 64_000_000, 50_000_000),
            ],
            Histograms = [Latency("end-to-end latency", 149_370, 4.2)],
            TimeSeries = Enumerable.Range(0, seconds).Select(s => new TimeSeriesPoint
            {
                Second = s + 1,
                Rps = 1000 - (s % 6 == 5 ? 40 : 0),
                Ok = 996 - (s % 6 == 5 ? 40 : 0),
                Fail = s % 6 == 5 ? 24 : 2,
                P50Ms = 2.9 + 0.1 * (s % 3),
                P99Ms = 11 + (s % 6 == 5 ? 70 : 3 * (s % 4)),
                MaxMs = 25 + (s % 6 == 5 ? 120 : 5 * (s % 4)),
                BytesIn = 1_500_000 + 1000 * s,
                BytesOut = 300_000 + 500 * s,
                Metrics = new Dictionary<string, double>
                {
                    ["messages expected"] = 4979.0 * (s + 1),
                    ["messages delivered"] = 4979.0 * (s + 1) - (s % 2),
                    ["lost"] = 0,
                    ["out of order"] = 0,
                    ["server threads"] = 512 + Math.Min(s, 29),
                    ["server RSS"] = 180_000_000 + 2_700_000.0 * s,
                    ["server CPU"] = 12 + 2.6 * s,
                    ["server GC heap"] = 20_000_000 + 1_400_000.0 * s,
                    ["engine.late"] = 2.0 * Math.Min(s, 28) + 1,
                    ["engine.dropped"] = s / 10,
                },
            }).ToList(),
            LateIterations = 57,
            DroppedIterations = 3,
            Notes = ["Channels of 10 members; each client sends 2 messages/s."],
        };
    }

    private static ScenarioResult PingPong(int seconds) => new()
    {
        Name = "ping-pong",
        Duration = TimeSpan.FromSeconds(seconds),
        LoadSimulations = ["keep 100 copies for " + seconds + " s"],
        Iterations = Stats("iteration", 60_000L * seconds, 0, seconds, 0.35, [new StatusCount("ok", false, 60_000L * seconds)]),
        TimeSeries = Enumerable.Range(0, seconds).Select(s => new TimeSeriesPoint
        {
            Second = s + 1, Rps = 60_000, Ok = 60_000, P50Ms = 0.3, P99Ms = 1.1, MaxMs = 3.5, BytesIn = 840_000, BytesOut = 840_000,
        }).ToList(),
    };

    private static StepStats Stats(string name, long ok, long fail, int seconds, double medianMs, IReadOnlyList<StatusCount> statuses) => new()
    {
        Name = name,
        OkCount = ok,
        FailCount = fail,
        Rps = (ok + fail) / (double)seconds,
        BytesIn = ok * 48,
        BytesOut = (ok + fail) * 52,
        Latency = Latency(name, ok, medianMs),
        Statuses = statuses,
    };

    /// <summary>A log-normal-like latency shape: percentile p at median × exp(0.9 × z(p)).</summary>
    public static LatencyResult Latency(string name, long count, double medianMs)
    {
        double At(double percentile) => Math.Round(medianMs * Math.Exp(0.9 * Z(percentile / 100.0)), 3);
        double[] percentiles = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];
        return new LatencyResult
        {
            Name = name,
            Count = count,
            MinMs = Math.Round(medianMs * 0.2, 3),
            MeanMs = Math.Round(medianMs * 1.5, 3),
            MaxMs = Math.Round(medianMs * 40, 3),
            StdDevMs = Math.Round(medianMs * 1.1, 3),
            P50Ms = At(50), P75Ms = At(75), P95Ms = At(95), P99Ms = At(99), P999Ms = At(99.9),
            Distribution = percentiles.Select(p => new PercentilePoint(p,
                p == 0 ? Math.Round(medianMs * 0.2, 3) : p == 100 ? Math.Round(medianMs * 40, 3) : At(p))).ToList(),
        };
    }

    // Inverse normal CDF (Acklam's rational approximation), enough for a plausible shape.
    private static double Z(double p)
    {
        double[] a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239];
        double[] b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155211572];
        double[] c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
        double[] d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
