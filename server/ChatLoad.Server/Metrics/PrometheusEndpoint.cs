using System.Diagnostics.Metrics;
using System.Net;
using ChatLoad.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using PrometheusMetrics = Prometheus.Metrics;

namespace ChatLoad.Server.Metrics;

/// <summary>
/// The Prometheus text endpoint, <c>http://{Bind}:{MetricsPort}/metrics</c> (off when MetricsPort is 0), served by
/// prometheus-net from a registry of this host's own (so several in-process test servers never mix figures).
/// The load suite scrapes it every second BY NAME; these are the names:
/// <list type="table">
/// <item><term>chatload_server_chatload_connections_open</term><description>connections open now (gauge)</description></item>
/// <item><term>chatload_server_chatload_connections_total</term><description>connections admitted since start</description></item>
/// <item><term>chatload_server_chatload_connections_refused</term><description>refused: server full / ceiling</description></item>
/// <item><term>chatload_server_chatload_clients_registered</term><description>registered clients now</description></item>
/// <item><term>chatload_server_chatload_messages_in</term><description>lines received</description></item>
/// <item><term>chatload_server_chatload_messages_out</term><description>lines queued to clients (one per recipient)</description></item>
/// <item><term>chatload_server_chatload_bytes_in</term><description>bytes received</description></item>
/// <item><term>chatload_server_chatload_bytes_out</term><description>bytes sent</description></item>
/// <item><term>chatload_server_chatload_slow_consumer_disconnects</term><description>clients closed for SendQ exceeded</description></item>
/// <item><term>chatload_server_chatload_protocol_errors</term><description>error numerics, over-long lines, bad input</description></item>
/// <item><term>process_num_threads</term><description>OS threads (prometheus-net, from the OS)</description></item>
/// <item><term>chatload_server_process_os_threads</term><description>OS threads, /proc/self/status Threads</description></item>
/// <item><term>process_working_set_bytes</term><description>RSS (prometheus-net)</description></item>
/// <item><term>chatload_server_process_rss_bytes</term><description>RSS, /proc/self/status VmRSS</description></item>
/// <item><term>process_cpu_seconds_total</term><description>CPU seconds, user + system</description></item>
/// <item><term>chatload_server_process_gc_total_memory_bytes</term><description>GC.GetTotalMemory: managed bytes in use now</description></item>
/// <item><term>dotnet_total_memory_bytes</term><description>the same from prometheus-net (seen at 0 now and then in tests: prefer ours)</description></item>
/// <item><term>chatload_server_process_gc_heap_bytes</term><description>GC heap size after the last collection</description></item>
/// <item><term>chatload_server_process_threadpool_threads</term><description>thread-pool threads</description></item>
/// <item><term>chatload_server_process_threadpool_queue_length</term><description>thread-pool pending work items</description></item>
/// <item><term>chatload_server_process_gc_allocated_bytes</term><description>bytes allocated since start</description></item>
/// </list>
/// Meter instruments are exported as TYPE gauge (prometheus-net's Meter adapter), counters included; the exact
/// names are asserted by Hosting/MetricsEndpointTests so a rename cannot pass silently.
/// </summary>
internal sealed class PrometheusEndpoint : IHostedService, IDisposable
{
    private readonly ServerOptions _options;
    private readonly IMeterFactory _meterFactory;
    private readonly ILogger<PrometheusEndpoint> _logger;
    private readonly StartupFailure _startupFailure;
    private readonly IHostApplicationLifetime _lifetime;
    private ProcessGauges? _gauges;
    private IDisposable? _meterAdapter;
    private KestrelMetricServer? _server;

    public PrometheusEndpoint(IOptions<ServerOptions> options, IMeterFactory meterFactory, ILogger<PrometheusEndpoint> logger,
        StartupFailure startupFailure, IHostApplicationLifetime lifetime)
    {
        _options = options.Value;
        _meterFactory = meterFactory;
        _logger = logger;
        _startupFailure = startupFailure;
        _lifetime = lifetime;
    }

    /// <summary>The registry behind the endpoint (null when off).</summary>
    public CollectorRegistry? Registry { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.MetricsPort == 0)
            return;

        CollectorRegistry registry = PrometheusMetrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        _gauges = new ProcessGauges(_meterFactory);
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = PrometheusMetrics.WithCustomRegistry(registry),
            // Only this host's meters (the factory scopes them), so in-process test hosts do not sum each other.
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, _meterFactory)
                && instrument.Meter.Name is ChatMetrics.MeterName or ProcessGauges.MeterName,
            // A counter that does not move for a while must not vanish from the scrape (1 day is the library maximum).
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
        // PACKAGES.md: the adapter only starts recording at the first collection; collect once now so no
        // measurement before the first scrape is lost.
        await registry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken).ConfigureAwait(false);

        // Kestrel, not prometheus-net's HttpListener MetricServer: the managed HttpListener on Linux can kill the
        // process with an ArgumentNullException when a scrape arrives while it is starting (dotnet/corefx#35191),
        // which the comparison's first scrape did (exit code 134).
        var server = new KestrelMetricServer(_options.Bind, _options.MetricsPort, "/metrics", registry);
        try
        {
            server.Start();
        }
        catch (Exception ex) when (ex is IOException or HttpListenerException or InvalidOperationException)
        {
            MetricsLog.EndpointFailed(_logger, _options.Bind, _options.MetricsPort, ex.Message);
            _startupFailure.Fail($"cannot serve metrics on {_options.Bind}:{_options.MetricsPort}: {ex.Message}");
            _lifetime.StopApplication();
            return;
        }
        _server = server;
        Registry = registry;
        MetricsLog.EndpointStarted(_logger, $"http://{_options.Bind}:{_options.MetricsPort}/metrics");
    }

    /// <summary>How long stopping may wait for scrapes in flight. Kestrel's own graceful stop waits for open
    /// connections, and a scraper that connects and never finishes its request would otherwise hold the server's
    /// exit well past ShutdownTimeout (seen: over 15 s after SIGTERM).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(1);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
            return;
        try
        {
            await _server.StopAsync().WaitAsync(StopTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // A scrape is not worth delaying the exit for. Disposing the server now would block on the same wait,
            // so it is left to end with the process.
            _server = null;
        }
    }

    public void Dispose()
    {
        _server?.Dispose();
        _meterAdapter?.Dispose();
        _gauges?.Dispose();
    }
}

/// <summary>The metrics endpoint's log messages (event ids 400–499).</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(400, LogLevel.Information, "Metrics endpoint: {Url}")]
    public static partial void EndpointStarted(ILogger logger, string url);

    [LoggerMessage(401, LogLevel.Critical, "Cannot serve metrics on {Bind}:{Port}: {Reason}")]
    public static partial void EndpointFailed(ILogger logger, string bind, int port, string reason);
}
