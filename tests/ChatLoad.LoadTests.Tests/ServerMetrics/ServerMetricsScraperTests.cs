using ChatLoad.LoadClient.Tests.Support;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.ServerMetrics;

public sealed class ServerMetricsScraperTests
{
    [Fact]
    public async Task A_scrape_sets_the_server_gauges()
    {
        await using var server = new CannedHttpServer
        {
            Body = "process_num_threads 33\nprocess_working_set_bytes 52428800\ndotnet_total_memory_bytes 10485760\n" +
                   "chatload_server_chatload_connections_open 12\n",
        };
        var metrics = new RecordingMetrics();
        await using var scraper = new ServerMetricsScraper(server.Address, metrics, TimeProvider.System);

        var snapshot = await scraper.ScrapeOnceAsync(CancellationToken.None);

        Assert.NotNull(snapshot);
        Assert.Equal(33, metrics.GaugeValue(ServerGaugeNames.Threads));
        Assert.Equal(50, metrics.GaugeValue(ServerGaugeNames.RssMb));
        Assert.Equal(10, metrics.GaugeValue(ServerGaugeNames.GcHeapMb));
        Assert.Equal(12, metrics.GaugeValue(ServerGaugeNames.Connections));
        Assert.Equal(0, scraper.Failures);
    }

    [Fact]
    public async Task A_failed_scrape_is_counted_and_the_last_figures_stay()
    {
        await using var server = new CannedHttpServer { Body = "process_num_threads 7\n" };
        var metrics = new RecordingMetrics();
        await using var scraper = new ServerMetricsScraper(server.Address, metrics, TimeProvider.System);
        await scraper.ScrapeOnceAsync(CancellationToken.None);

        server.Body = null; // now answers 500
        var second = await scraper.ScrapeOnceAsync(CancellationToken.None);

        Assert.Null(second);
        Assert.Equal(1, scraper.Failures);
        Assert.Equal(1, metrics.CounterValue(ServerGaugeNames.ScrapeFailures));
        Assert.Equal(7, metrics.GaugeValue(ServerGaugeNames.Threads));
    }

    [Fact]
    public async Task An_endpoint_that_is_not_there_is_a_counted_failure_not_an_exception()
    {
        string address;
        await using (var gone = new CannedHttpServer())
            address = gone.Address;
        var metrics = new RecordingMetrics();
        await using var scraper = new ServerMetricsScraper(address, metrics, TimeProvider.System);

        Assert.Null(await scraper.ScrapeOnceAsync(CancellationToken.None));
        Assert.Equal(1, scraper.Failures);
    }
}
