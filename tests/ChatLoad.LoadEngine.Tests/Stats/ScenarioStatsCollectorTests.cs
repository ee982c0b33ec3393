using ChatLoad.LoadEngine.Stats;
using ChatLoad.LoadEngine.Tests.Support;

namespace ChatLoad.LoadEngine.Tests.Stats;

public class ScenarioStatsCollectorTests
{
    private static long Ms(double ms) => (long)(ms * TimeSpan.TicksPerMillisecond); // fake time: 1 tick = 100 ns

    [Fact]
    public void Percentiles_come_from_the_histogram_within_its_precision()
    {
        var time = FakeClock.NewTime();
        var stats = new ScenarioStatsCollector("s", time);
        stats.StartMeasuring(time.GetTimestamp());
        for (int ms = 1; ms <= 1000; ms++) stats.RecordIteration(Response.Ok(sizeBytes: 2, bytesSent: 1), Ms(ms));
        time.Advance(TimeSpan.FromSeconds(10));

        var result = stats.BuildResult(TimeSpan.FromSeconds(10), [], []);

        var latency = result.Iterations.Latency;
        Assert.Equal(1000, latency.Count);
        Assert.Equal(1, latency.MinMs, 2);
        Assert.Equal(500, latency.P50Ms, 0.5);  // HdrHistogram with 3 digits: within 0.1%
        Assert.Equal(990, latency.P99Ms, 1.0);
        Assert.Equal(1000, latency.MaxMs, 1.0);
        Assert.Equal(500.5, latency.MeanMs, 0.5);
        Assert.Equal(288.7, latency.StdDevMs, 0.5);
        Assert.Equal(100, result.Iterations.Rps, 6);
        Assert.Equal((2000L, 1000L), (result.Iterations.BytesIn, result.Iterations.BytesOut));
        Assert.NotNull(latency.HistogramBase64);
        Assert.Equal(100, latency.Distribution[^1].Percentile);
        Assert.True(latency.Distribution.Count > 10);
    }

    [Fact]
    public void Failures_are_counted_by_status_but_not_timed()
    {
        var time = FakeClock.NewTime();
        var stats = new ScenarioStatsCollector("s", time);
        stats.StartMeasuring(time.GetTimestamp());
        stats.RecordIteration(Response.Ok(), Ms(5));
        stats.RecordIteration(Response.Fail("timeout", "waited 5 s"), Ms(5000));
        stats.RecordIteration(Response.Fail("timeout", "other text"), Ms(5000));
        stats.RecordIteration(Response.Fail("refused"), Ms(1));

        var result = stats.BuildResult(TimeSpan.FromSeconds(1), [], []).Iterations;

        Assert.Equal((1L, 3L), (result.OkCount, result.FailCount));
        Assert.Equal(75, result.FailPercent);
        Assert.Equal(1, result.Latency.Count);
        Assert.Equal(5, result.Latency.MaxMs, 0.01);
        var timeout = result.Statuses.Single(s => s.StatusCode == "timeout");
        Assert.Equal((true, 2L, "waited 5 s"), (timeout.IsError, timeout.Count, timeout.SampleMessage));
        Assert.Contains(result.Statuses, s => s is { StatusCode: "ok", IsError: false, Count: 1 });
    }

    [Fact]
    public void Nothing_is_recorded_outside_the_measured_part()
    {
        var time = FakeClock.NewTime();
        var stats = new ScenarioStatsCollector("s", time);
        stats.RecordIteration(Response.Ok(), Ms(1));                 // before: warm-up
        stats.Metrics.Histogram("delivery").Record(TimeSpan.FromMilliseconds(3));
        stats.StartMeasuring(time.GetTimestamp());
        stats.RecordIteration(Response.Ok(), Ms(2));
        stats.RecordStep("send", Response.Ok(), Ms(2));
        stats.CountLate();
        stats.StopMeasuring();
        stats.RecordIteration(Response.Ok(), Ms(3));                 // after: clean
        stats.RecordStep("send", Response.Ok(), Ms(2));
        stats.CountDropped();

        var result = stats.BuildResult(TimeSpan.FromSeconds(1), [], []);

        Assert.Equal(1, result.Iterations.Count);
        Assert.Equal(1, result.Steps.Single().Count);
        Assert.Equal((1L, 0L), (result.LateIterations, result.DroppedIterations));
        Assert.Equal(0, result.Histograms.Single().Count);
    }

    [Fact]
    public void Time_series_has_one_point_per_second_with_that_seconds_figures()
    {
        var time = FakeClock.NewTime();
        var stats = new ScenarioStatsCollector("s", time);
        var lost = stats.Metrics.Counter("lost");
        var clients = stats.Metrics.Gauge("clients");
        stats.StartMeasuring(time.GetTimestamp());

        for (int second = 1; second <= 3; second++)
        {
            for (int i = 0; i < second * 10; i++) stats.RecordIteration(Response.Ok(), Ms(second));
            lost.Add(second);
            clients.Set(second * 100);
            time.Advance(TimeSpan.FromSeconds(1));
            stats.SampleSecond(time.GetTimestamp());
        }
        time.Advance(TimeSpan.FromMilliseconds(100));
        stats.RecordIteration(Response.Ok(), Ms(9));
        stats.SampleFinal(time.GetTimestamp()); // 100 ms remainder: folded into the third second

        var result = stats.BuildResult(TimeSpan.FromSeconds(3), [], []);
        var series = result.TimeSeries;
        Assert.Equal([10L, 20L, 31L], series.Select(p => p.Ok));
        Assert.Equal([10d, 20d], series.Take(2).Select(p => p.Rps));
        Assert.Equal(31 / 1.1, series[2].Rps, 6);
        Assert.Equal(2, series[1].P99Ms, 0.01);
        Assert.Equal(9, series[2].MaxMs, 0.01);
        Assert.Equal([1d, 3d, 6d], series.Select(p => p.Metrics["lost"]));
        Assert.Equal([100d, 200d, 300d], series.Select(p => p.Metrics["clients"]));
        // The folded final point keeps the last value (300): min/mean/max come from the three points.
        Assert.Equal(new ChatLoad.LoadEngine.Results.GaugeResult("clients", "", 100, 200, 300, 300), result.Gauges.Single());
        Assert.Equal(6, result.Counters.Single().Value);
    }

    [Fact]
    public void Custom_metrics_are_one_instance_per_name()
    {
        var time = FakeClock.NewTime();
        var stats = new ScenarioStatsCollector("s", time);
        Assert.Same(stats.Metrics.Counter("a"), stats.Metrics.Counter("a"));
        Assert.Same(stats.Metrics.Gauge("g"), stats.Metrics.Gauge("g"));
        Assert.Same(stats.Metrics.Histogram("h"), stats.Metrics.Histogram("h"));
        Assert.Throws<ArgumentException>(() => stats.Metrics.Counter(" "));

        stats.StartMeasuring(time.GetTimestamp());
        stats.Metrics.Histogram("h").RecordTicks(Ms(7));
        stats.Metrics.Histogram("h").Record(TimeSpan.FromMilliseconds(9));
        var histogram = stats.BuildResult(TimeSpan.FromSeconds(1), [], []).Histograms.Single();
        Assert.Equal((2L, 7d, 9d), (histogram.Count, Math.Round(histogram.MinMs, 1), Math.Round(histogram.MaxMs, 1)));
    }

    [Fact]
    public void Recording_from_many_threads_loses_nothing()
    {
        var time = FakeClock.NewTime();
        var stats = new ScenarioStatsCollector("s", time);
        stats.StartMeasuring(time.GetTimestamp());
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                stats.RecordIteration(i % 10 == 0 ? Response.Fail("x") : Response.Ok(), Ms(1));
                if (i % 1000 == 0) stats.SampleSecond(time.GetTimestamp());
            }
        });
        var result = stats.BuildResult(TimeSpan.FromSeconds(1), [], []).Iterations;
        Assert.Equal((360_000L, 40_000L), (result.OkCount, result.FailCount));
        Assert.Equal(360_000, result.Latency.Count);
    }
}
