using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

/// <summary>Builds RunResults and outcomes with chosen figures, as the chat suite would report them.</summary>
internal static class SyntheticRuns
{
    public static RunResult Result(
        string scenario = "room-chat", double p50 = 1, double p99 = 2, long delivered = 10_000, long expected = 10_000, long lost = 0,
        double threads = 30, double rssMb = 60, double cpu = 20, long ok = 1_000, long fail = 0, string? errorStatus = null,
        string? errorMessage = null, double seconds = 10, bool withServerGauges = true, bool withE2e = true, long connectFailures = 0,
        string? setupNote = null)
    {
        var iterations = new StepStats
        {
            Name = "global",
            OkCount = ok,
            FailCount = fail,
            Rps = (ok + fail) / seconds,
            Latency = new LatencyResult { Name = "iteration", Count = ok, P50Ms = p50 / 2, P99Ms = p99 / 2 },
            Statuses = errorStatus is null ? [new StatusCount("ok", false, ok)] : [new StatusCount("ok", false, ok), new StatusCount(errorStatus, true, fail, errorMessage)],
        };
        var gauges = withServerGauges
            ? new[]
            {
                new GaugeResult("server threads", "threads", threads / 2, threads * 0.9, threads, threads),
                new GaugeResult("server RSS MB", "MB", rssMb / 2, rssMb * 0.9, rssMb, rssMb),
                new GaugeResult("server cpu %", "%", 0, cpu, cpu * 2, cpu),
            }
            : [];
        return new RunResult
        {
            Info = new TestInfo { TestName = scenario, SessionId = "s", Started = DateTimeOffset.UnixEpoch, Duration = TimeSpan.FromSeconds(seconds) },
            Scenarios =
            [
                new ScenarioResult
                {
                    Name = scenario,
                    Duration = TimeSpan.FromSeconds(seconds),
                    Iterations = iterations,
                    Counters =
                    [
                        new CounterResult("messages delivered", "messages", delivered),
                        new CounterResult("messages expected", "messages", expected),
                        new CounterResult("lost", "messages", lost),
                        new CounterResult("out of order", "messages", 0),
                        new CounterResult("connect failures", "clients", connectFailures),
                    ],
                    Notes = setupNote is null ? [] : ["1,000 of 1,100 clients set up in 2.0 s", setupNote],
                    Gauges = gauges,
                    Histograms = withE2e ? [new LatencyResult { Name = "e2e latency", Count = delivered, P50Ms = p50, P99Ms = p99 }] : [],
                },
            ],
        };
    }

    public static RungOutcome Ok(string mode, int clients, RunResult result, int repeat = 1, string scenario = "room-chat")
    {
        var rung = new RungSpec(scenario, clients, TimeSpan.FromSeconds(10));
        return new RungOutcome
        {
            Server = mode,
            Rung = rung,
            Repeat = repeat,
            Figures = RungFigures.From(result, rung, new ProcessFigures(20, 40, 0), null),
            ReportLink = $"runs/{mode}/{scenario}/{clients}-clients-r{repeat}/report.html",
        };
    }

    public static RungOutcome Failed(string mode, int clients, string failure, int repeat = 1, string scenario = "room-chat") => new()
    {
        Server = mode,
        Rung = new RungSpec(scenario, clients, TimeSpan.FromSeconds(10)),
        Repeat = repeat,
        Failure = failure,
        FailureDetail = "stderr: boom",
        ExitCode = 1,
    };

    public static readonly SaturationSearchSpec Search = new() { StartRate = 1_000, MaxRate = 16_000, BisectSteps = 1, SloP99Ms = 50, DeliveriesPerMessage = 9 };

    /// <summary>A probe (or, with <paramref name="phase"/> Confirm, a repeat) of a room-chat saturation search.</summary>
    public static RungOutcome Probe(string server, int clients, double rate, RunResult result, int number, RunPhase phase = RunPhase.Probe)
    {
        var rung = new RungSpec("room-chat", clients, TimeSpan.FromSeconds(2), rate) { Search = Search };
        return new RungOutcome
        {
            Server = server,
            Rung = rung,
            Repeat = number,
            Phase = phase,
            Figures = RungFigures.From(result, rung, new ProcessFigures(20, 40, 0), null),
            ReportLink = $"runs/{server}/room-chat/{clients}-clients-{rate:0}-per-s-r{number}/report.html",
        };
    }

    /// <summary>A run whose load generator saturated (its busiest seconds at 97% CPU).</summary>
    public static RunResult GeneratorSaturated(RunResult result) =>
        result with { Generator = new() { CpuPercentMean = 95, Samples = [new(1, 97, 1, 0, 4), new(2, 97, 1, 0, 4)] } };

    public static ScenarioTable Table(params RungOutcome[] outcomes) =>
        ScenarioTable.From(outcomes[0].Rung.Scenario, ["threads", "async"], outcomes);
}
