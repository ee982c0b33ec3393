using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using PrometheusMetrics = Prometheus.Metrics;

namespace ChatLoad.Server.Metrics;

/// <summary>
/// The Prometheus text endpoint, <c>http://{MetricsBind}:{MetricsPort}/metrics</c> (off when MetricsPort is 0): the
/// exposition comes from prometheus-net, from a registry of this host's own (so several in-process test servers never
/// mix figures); the HTTP side is <see cref="MetricsHttpListener"/>, whose bounds (connection cap, request timeout,
/// prompt stop) keep HTTP clients from costing the chat anything.
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
/// <item><term>chatload_server_chatload_flood_throttled_lines</term><description>lines flood control held back</description></item>
/// <item><term>chatload_server_chatload_flood_disconnects</term><description>clients closed with ERROR :Excess flood</description></item>
/// <item><term>chatload_server_chatload_limits_refused</term><description>commands refused by a rate or size limit (263, 407, 437, 438)</description></item>
/// <item><term>chatload_server_chatload_channels</term><description>channels on the server now</description></item>
/// <item><term>process_num_threads</term><description>OS threads, /proc/self/status Threads (prometheus-net's name)</description></item>
/// <item><term>chatload_server_process_os_threads</term><description>OS threads, /proc/self/status Threads</description></item>
/// <item><term>process_working_set_bytes</term><description>RSS, /proc/self/status VmRSS (prometheus-net's name)</description></item>
/// <item><term>chatload_server_process_rss_bytes</term><description>RSS, /proc/self/status VmRSS</description></item>
/// <item><term>process_cpu_seconds_total</term><description>CPU seconds, user + system</description></item>
/// <item><term>chatload_server_process_gc_total_memory_bytes</term><description>GC.GetTotalMemory: managed bytes in use now</description></item>
/// <item><term>dotnet_total_memory_bytes</term><description>the same under prometheus-net's name</description></item>
/// <item><term>chatload_server_process_gc_heap_bytes</term><description>GC heap size after the last collection</description></item>
/// <item><term>chatload_server_process_threadpool_threads</term><description>thread-pool threads</description></item>
/// <item><term>chatload_server_process_threadpool_queue_length</term><description>thread-pool pending work items</description></item>
/// <item><term>chatload_server_process_gc_allocated_bytes</term><description>bytes allocated since start</description></item>
/// </list>
/// Meter instruments are exported as TYPE gauge (prometheus-net's Meter adapter), counters included; the exact
/// names are asserted by Hosting/MetricsEndpointTests so a rename cannot pass silently.
/// </summary>
internal sealed class PrometheusEndpoint : IHostedService, IAsyncDisposable
{
    private readonly ServerOptions _options;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<PrometheusEndpoint> _logger;
    private readonly StartupFailure _startupFailure;
    private readonly IHostApplicationLifetime _lifetime;
    private ProcessGauges? _gauges;
    private IDisposable? _meterAdapter;
    private MetricsHttpListener? _listener;

    public PrometheusEndpoint(IOptions<ServerOptions> options, IMeterFactory meterFactory, TimeProvider time, ILogger<PrometheusEndpoint> logger,
        StartupFailure startupFailure, IHostApplicationLifetime lifetime)
    {
        _options = options.Value;
        _meterFactory = meterFactory;
        _time = time;
        _logger = logger;
        _startupFailure = startupFailure;
        _lifetime = lifetime;
    }

    /// <summary>The registry behind the endpoint (null when off).</summary>
    public CollectorRegistry? Registry { get; private set; }

    /// <summary>The bound address, null when off or not started.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>HTTP connections open now.</summary>
    public int OpenConnections => _listener?.OpenConnections ?? 0;

    /// <summary>
    /// Descriptors the endpoint may hold at once: its listening socket, MetricsMaxConnections connections and the
    /// one it is turning away with 503. The IRC listener subtracts them from its own descriptor budget.
    /// </summary>
    public static int ReservedDescriptors(ServerOptions options) => options.MetricsPort == 0 ? 0 : options.MetricsMaxConnections + 2;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.MetricsPort == 0)
            return;

        CollectorRegistry registry = PrometheusMetrics.NewCustomRegistry();
        RegisterStandardProcessMetrics(registry);
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

        var endPoint = new IPEndPoint(IPAddress.Parse(_options.MetricsBind), _options.MetricsPort);
        var listener = new MetricsHttpListener(endPoint, _options.MetricsMaxConnections, _options.MetricsRequestTimeout,
            (stream, ct) => registry.CollectAndExportAsTextAsync(stream, ct), _time, _logger);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            MetricsLog.EndpointFailed(_logger, _options.MetricsBind, _options.MetricsPort, ex.Message);
            _startupFailure.Fail($"cannot serve metrics on {_options.MetricsBind}:{_options.MetricsPort}: {ex.Message}");
            _lifetime.StopApplication();
            return;
        }
        _listener = listener;
        Registry = registry;
        MetricsLog.EndpointStarted(_logger, $"http://{_options.MetricsBind}:{_options.MetricsPort}{MetricsRequest.Path}",
            _options.MetricsMaxConnections, _options.MetricsRequestTimeout);
    }

    /// <summary>
    /// prometheus-net's standard process names, read from /proc like ours. Not its DotNetStats: that also reads
    /// <c>Process.HandleCount</c>, which on Linux lists /proc/self/fd — at 19,000 clients about 2 MB of strings per
    /// scrape, 2 MB a second under the load suite's scraper, which was the whole of an idle server's allocation
    /// and kept its heap growing between collections (measured with the server's own gc_allocated_bytes).
    /// </summary>
    private void RegisterStandardProcessMetrics(CollectorRegistry registry)
    {
        MetricFactory factory = PrometheusMetrics.WithCustomRegistry(registry);
        Gauge threads = factory.CreateGauge("process_num_threads", "Total number of threads");
        Gauge workingSet = factory.CreateGauge("process_working_set_bytes", "Process working set");
        Counter cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        Gauge totalMemory = factory.CreateGauge("dotnet_total_memory_bytes", "Total known allocated memory");
        registry.AddBeforeCollectCallback(() =>
        {
            threads.Set(ProcStatus.Read("Threads:") ?? 0);
            workingSet.Set((ProcStatus.Read("VmRSS:") ?? 0) * 1024.0);
            cpu.IncTo(_gauges?.CpuSeconds() ?? 0);
            totalMemory.Set(GC.GetTotalMemory(forceFullCollection: false));
        });
    }

    /// <summary>How long stopping waits for the HTTP connections it has just closed to finish (they are closed at
    /// once, so this is only the time their tasks take to notice).</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromMilliseconds(500);

    public Task StopAsync(CancellationToken cancellationToken) =>
        _listener?.StopAsync(StopWait) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
            await _listener.DisposeAsync().ConfigureAwait(false);
        _meterAdapter?.Dispose();
        _gauges?.Dispose();
    }
}
