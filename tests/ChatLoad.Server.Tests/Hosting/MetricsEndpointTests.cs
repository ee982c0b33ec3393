using System.Globalization;
using System.Text.RegularExpressions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Tests.Infrastructure;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// The Prometheus endpoint exports the names the load suite scrapes (documented on PrometheusEndpoint), with
/// values that follow what happened.
/// </summary>
public sealed class MetricsEndpointTests
{
    [Theory]
    [InlineData(ConnectionMode.Threads)]
    [InlineData(ConnectionMode.Async)]
    public async Task Scrape_has_the_chat_meter_and_the_process_figures(ConnectionMode mode)
    {
        await using TestServer server = await TestServer.StartAsync(mode, enableMetrics: true);
        await using TestIrcClient alice = await server.ConnectAndRegisterAsync("alice");
        await using TestIrcClient bob = await server.ConnectAndRegisterAsync("bob");
        await alice.JoinAsync("#m");
        await bob.JoinAsync("#m");
        await alice.SendLineAsync("PRIVMSG #m :counted");
        await bob.ExpectCommandAsync("PRIVMSG");
        await alice.SendLineAsync("NOSUCHCOMMAND");
        await alice.ExpectCommandAsync("421");

        string text = await server.ScrapeMetricsAsync();

        Assert.Equal(2, Value(text, "chatload_server_chatload_connections_open"));
        Assert.Equal(2, Value(text, "chatload_server_chatload_connections_total"));
        Assert.Equal(2, Value(text, "chatload_server_chatload_clients_registered"));
        Assert.True(Value(text, "chatload_server_chatload_messages_in") >= 7); // NICK, USER, JOIN x2, PRIVMSG ...
        Assert.True(Value(text, "chatload_server_chatload_messages_out") >= 1);
        Assert.True(Value(text, "chatload_server_chatload_bytes_in") > 0);
        Assert.True(Value(text, "chatload_server_chatload_bytes_out") > 0);
        Assert.True(Value(text, "chatload_server_chatload_protocol_errors") >= 1);
        Assert.True(Value(text, "process_num_threads") > 0);
        Assert.True(Value(text, "chatload_server_process_os_threads") > 0);
        Assert.True(Value(text, "process_working_set_bytes") > 0);
        Assert.True(Value(text, "chatload_server_process_rss_bytes") > 0);
        Assert.True(Value(text, "process_cpu_seconds_total") > 0);
        Assert.True(Value(text, "dotnet_total_memory_bytes") >= 0); // prometheus-net's: present, now and then 0
        Assert.True(Value(text, "chatload_server_process_gc_total_memory_bytes") > 0);
        Assert.True(Value(text, "chatload_server_process_gc_allocated_bytes") > 0);
        Assert.True(Value(text, "chatload_server_process_gc_heap_bytes") >= 0);
        Assert.True(Value(text, "chatload_server_process_threadpool_threads") >= 0);
        Assert.True(Value(text, "chatload_server_process_threadpool_queue_length") >= 0);
    }

    [Fact]
    public async Task Refused_and_slow_consumer_counters_appear_once_they_move()
    {
        await using TestServer server = await TestServer.StartAsync(ConnectionMode.Async, new() { ["MaxClients"] = "1" }, enableMetrics: true);
        await using TestIrcClient first = await server.ConnectAndRegisterAsync("first");
        await using TestIrcClient second = await server.ConnectAsync();
        Assert.Equal("ERROR :Server full", await second.ReadLineAsync());

        string text = await server.ScrapeMetricsAsync();

        Assert.Equal(1, Value(text, "chatload_server_chatload_connections_refused"));
    }

    private static double Value(string exposition, string name)
    {
        Match m = Regex.Match(exposition, $@"(?m)^{Regex.Escape(name)}(?:\{{[^}}]*\}})? (\S+)$");
        Assert.True(m.Success, $"metric {name} not in the scrape:\n{exposition}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
