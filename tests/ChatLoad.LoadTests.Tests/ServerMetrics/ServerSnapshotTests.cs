using ChatLoad.LoadClient.Tests.Support;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.ServerMetrics;

public sealed class ServerSnapshotTests
{
    private static ServerSnapshot From(string text, long timestamp = 0) =>
        ServerSnapshot.From(PrometheusTextParser.Parse(text, out _), timestamp);

    [Fact]
    public void Series_of_one_name_are_summed_and_missing_figures_stay_null()
    {
        var s = From("""
            process_num_threads 40
            dotnet_gc_heap_size_bytes{gen="0"} 1000
            dotnet_gc_heap_size_bytes{gen="1"} 500
            """);
        Assert.Equal(40, s.OsThreads);
        Assert.Null(s.RssBytes);
        Assert.Null(s.ConnectionsOpen);
    }

    [Fact]
    public void The_first_candidate_name_present_wins()
    {
        var names = ServerMetricNames.RssBytes;
        var s = From($"{names[1]} 2000\n{names[0]} 1000\n");
        Assert.Equal(1000, s.RssBytes);
    }

    [Fact]
    public void Cpu_percent_is_cpu_seconds_over_wall_seconds()
    {
        var earlier = From("process_cpu_seconds_total 10", timestamp: 0);
        var later = From("process_cpu_seconds_total 11.5", timestamp: 2_000_000);
        Assert.Equal(75.0, ServerSnapshot.CpuPercent(earlier, later, timestampFrequency: 1_000_000)!.Value, precision: 6);
    }

    [Fact]
    public void Footprint_per_client_is_growth_over_the_baseline()
    {
        var metrics = new RecordingMetrics();
        var baseline = From("process_num_threads 20\nprocess_working_set_bytes 104857600\n");
        var loaded = From("process_num_threads 1020\nprocess_working_set_bytes 209715200\n");

        string? note = ServerFootprint.Record(metrics, baseline, loaded, clients: 1000);

        Assert.Equal(1.0, metrics.GaugeValue(ServerGaugeNames.ThreadsPerClient));
        Assert.Equal(102.4, metrics.GaugeValue(ServerGaugeNames.RssKbPerClient)!.Value, precision: 6);
        Assert.Contains("1000 clients", note);
    }

    [Theory]
    [InlineData("127.0.0.1:9100", "http://127.0.0.1:9100/metrics")]
    [InlineData("http://localhost:9100/custom", "http://localhost:9100/custom")]
    [InlineData("http://127.0.0.1:9100", "http://127.0.0.1:9100/metrics")]
    public void Metrics_address_forms(string given, string expected)
    {
        Assert.Equal(expected, ServerMetricsScraper.MetricsUri(given).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("ftp://x:1")]
    public void Bad_metrics_addresses_are_clear_errors(string given)
    {
        var e = Assert.Throws<FormatException>(() => ServerMetricsScraper.MetricsUri(given));
        Assert.Contains("HOST:PORT", e.Message);
    }
}
