using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Stats;
using ChatLoad.LoadEngine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.LoadEngine.Tests.Results;

/// <summary>Merging two shard results must give what one process would have measured over the union of their load.</summary>
public class RunResultMergeTests
{
    private sealed class Shard
    {
        public readonly FakeTimeProvider Time = FakeClock.NewTime();
        public readonly ScenarioStatsCollector Stats;
        public Shard() { Stats = new ScenarioStatsCollector("chat", Time); Stats.StartMeasuring(Time.GetTimestamp()); }

        public void Record(Response response, double ms, string? step = null)
        {
            long ticks = (long)(ms * TimeSpan.TicksPerMillisecond);
            Stats.RecordIteration(response, ticks);
            if (step is not null) Stats.RecordStep(step, response, ticks);
        }

        public RunResult Result(string session) => new()
        {
            Info = new TestInfo { TestName = "t", SessionId = session, Started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Duration = TimeSpan.FromSeconds(3) },
            Scenarios = [Stats.BuildResult(TimeSpan.FromSeconds(3), ["inject"], [])],
            Thresholds = [new ThresholdResult("chat", "p99 < 50ms", true, 1, "")],
        };
    }

    [Fact]
    public void Merge_of_two_shards_equals_one_run_over_the_union()
    {
        var a = new Shard();
        var b = new Shard();
        var union = new Shard();
        var random = new Random(7);
        for (int second = 0; second < 3; second++)
        {
            foreach (var (shard, count) in new[] { (a, 300 + second * 50), (b, 200) })
            {
                for (int i = 0; i < count; i++)
                {
                    double ms = Math.Round(random.NextDouble() * (shard == a ? 20 : 80), 3);
                    var response = i % 17 == 0 ? Response.Fail(i % 2 == 0 ? "timeout" : "refused") : Response.Ok(sizeBytes: 10, bytesSent: 4);
                    string? step = i % 3 == 0 ? "send" : null;
                    shard.Record(response, ms, step);
                    union.Record(response, ms, step);
                }
                shard.Stats.Metrics.Counter("delivered").Add(count);
                union.Stats.Metrics.Counter("delivered").Add(count);
                shard.Stats.Metrics.Gauge("clients").Set(shard == a ? 10 : 5);
                shard.Stats.Metrics.Histogram("e2e").Record(TimeSpan.FromMilliseconds(count / 10.0));
                union.Stats.Metrics.Histogram("e2e").Record(TimeSpan.FromMilliseconds(count / 10.0));
            }
            union.Stats.Metrics.Gauge("clients").Set(15);
            // A server-wide figure every shard scrapes alike: the merge must not count it once per shard.
            foreach (var shard in new[] { a, b, union })
                shard.Stats.Metrics.Gauge("server threads", "threads", GaugeMerge.Max).Set(100 + second);
            foreach (var shard in new[] { a, b, union })
            {
                shard.Time.Advance(TimeSpan.FromSeconds(1));
                shard.Stats.SampleSecond(shard.Time.GetTimestamp());
            }
        }

        // Through JSON, as the merge command reads shard files.
        var merged = RunResultMerger.Merge([
            RunResultJson.Deserialize(RunResultJson.Serialize(a.Result("a"))),
            RunResultJson.Deserialize(RunResultJson.Serialize(b.Result("b"))),
        ]);
        var expected = union.Result("u").Scenarios[0];
        var actual = merged.Scenarios.Single();

        Assert.Equal(2, merged.ShardCount);
        AssertSameStep(expected.Iterations, actual.Iterations);
        AssertSameStep(expected.Steps.Single(), actual.Steps.Single());
        Assert.Equal(expected.Counters, actual.Counters);
        Assert.Equal(expected.Gauges, actual.Gauges);
        Assert.Equal(102, actual.Gauges.Single(g => g.Name == "server threads").Max);
        AssertSameLatency(expected.Histograms.Single(), actual.Histograms.Single());
        Assert.Equal(expected.TimeSeries.Count, actual.TimeSeries.Count);
        foreach (var (e, m) in expected.TimeSeries.Zip(actual.TimeSeries))
        {
            Assert.Equal((e.Second, e.Ok, e.Fail, e.BytesIn, e.BytesOut), (m.Second, m.Ok, m.Fail, m.BytesIn, m.BytesOut));
            Assert.Equal(e.Rps, m.Rps, 6);
            Assert.Equal((e.P50Ms, e.P99Ms, e.MaxMs), (m.P50Ms, m.P99Ms, m.MaxMs));
            Assert.Equal(e.Metrics["delivered"], m.Metrics["delivered"]);
            Assert.Equal(e.Metrics["clients"], m.Metrics["clients"]);
            Assert.Equal(e.Metrics["server threads"], m.Metrics["server threads"]);
        }
        var threshold = Assert.Single(merged.Thresholds);
        Assert.Equal(actual.Iterations.Latency.P99Ms < 50, threshold.Passed);
        Assert.Equal(actual.Iterations.Latency.P99Ms, threshold.ActualValue);
    }

    private static void AssertSameStep(StepStats expected, StepStats actual)
    {
        Assert.Equal((expected.Name, expected.OkCount, expected.FailCount, expected.BytesIn, expected.BytesOut),
            (actual.Name, actual.OkCount, actual.FailCount, actual.BytesIn, actual.BytesOut));
        Assert.Equal(expected.Rps, actual.Rps, 6);
        Assert.Equal(expected.Statuses.Select(s => (s.StatusCode, s.IsError, s.Count)), actual.Statuses.Select(s => (s.StatusCode, s.IsError, s.Count)));
        AssertSameLatency(expected.Latency, actual.Latency);
    }

    private static void AssertSameLatency(LatencyResult expected, LatencyResult actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal((expected.MinMs, expected.P50Ms, expected.P75Ms, expected.P95Ms, expected.P99Ms, expected.P999Ms, expected.MaxMs),
            (actual.MinMs, actual.P50Ms, actual.P75Ms, actual.P95Ms, actual.P99Ms, actual.P999Ms, actual.MaxMs));
        Assert.Equal(expected.MeanMs, actual.MeanMs, 9);
        Assert.Equal(expected.StdDevMs, actual.StdDevMs, 9);
        Assert.Equal(expected.Distribution, actual.Distribution);
    }

    [Fact]
    public void Json_round_trip_keeps_every_figure()
    {
        var shard = new Shard();
        for (int i = 1; i <= 100; i++) shard.Record(i % 10 == 0 ? Response.Fail("x", "m") : Response.Ok(), i, "step");
        shard.Time.Advance(TimeSpan.FromSeconds(1));
        shard.Stats.SampleSecond(shard.Time.GetTimestamp());
        var original = shard.Result("s") with { Notes = ["n"], Generator = new GeneratorHealth { Warnings = ["w"], CpuPercentMax = 42 } };

        var json = RunResultJson.Serialize(original);
        var copy = RunResultJson.Deserialize(json);

        Assert.Equal(json, RunResultJson.Serialize(copy));
        Assert.Contains("\"histogramBase64\"", json);
        Assert.Equal(90, copy.Scenarios[0].Iterations.Latency.Count);
    }

    [Fact]
    public void Garbage_is_a_clear_format_error()
    {
        var error = Assert.Throws<FormatException>(() => RunResultJson.Deserialize("{\"info\": 3}"));
        Assert.Contains("not a ChatLoad run result", error.Message);
    }
}
