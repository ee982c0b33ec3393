using ChatLoad.LoadEngine;

namespace ChatLoad.LoadTests.ServerMetrics;

/// <summary>
/// Samples the server's Prometheus endpoint (<c>http://HOST:PORT/metrics</c>) once per interval during a run and
/// puts the figures into the scenario's gauges, so every report shows the server's threads, memory and CPU next to
/// the latency they produced. A failed scrape (server busy, endpoint down) is counted, never fatal: the run goes on.
/// </summary>
internal sealed class ServerMetricsScraper : IAsyncDisposable
{
    /// <summary>How often to scrape. Default 1 s, the engine's time-series resolution.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Longest one scrape may take. Default 2 s: a server drowning in threads answers slowly, and a late
    /// sample is still worth more than none, but a hung endpoint must not stall the sampling loop.</summary>
    public static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(2);

    private readonly Uri _uri;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly HttpClient _http;
    private readonly MetricCounter _failures;
    private readonly MetricGauge _threads, _rssMb, _cpu, _gcHeapMb, _poolQueue, _poolThreads, _connections, _registered, _slowDrops;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private ServerSnapshot? _previous;

    public ServerMetricsScraper(string hostPort, ScenarioMetrics metrics, TimeProvider time, TimeSpan? interval = null)
    {
        _uri = MetricsUri(hostPort);
        _time = time;
        _interval = interval ?? DefaultInterval;
        _http = new HttpClient { Timeout = ScrapeTimeout };
        _failures = metrics.Counter(ServerGaugeNames.ScrapeFailures);
        // Server-wide figures: every generator shard scrapes the same server, so shards merge them by max, not sum.
        _threads = metrics.Gauge(ServerGaugeNames.Threads, "threads", GaugeMerge.Max);
        _rssMb = metrics.Gauge(ServerGaugeNames.RssMb, "MB", GaugeMerge.Max);
        _cpu = metrics.Gauge(ServerGaugeNames.CpuPercent, "%", GaugeMerge.Max);
        _gcHeapMb = metrics.Gauge(ServerGaugeNames.GcHeapMb, "MB", GaugeMerge.Max);
        _poolQueue = metrics.Gauge(ServerGaugeNames.ThreadPoolQueue, "items", GaugeMerge.Max);
        _poolThreads = metrics.Gauge(ServerGaugeNames.ThreadPoolThreads, "threads", GaugeMerge.Max);
        _connections = metrics.Gauge(ServerGaugeNames.Connections, "connections", GaugeMerge.Max);
        _registered = metrics.Gauge(ServerGaugeNames.RegisteredClients, "clients", GaugeMerge.Max);
        _slowDrops = metrics.Gauge(ServerGaugeNames.SlowConsumerDisconnects, "clients", GaugeMerge.Max);
    }

    /// <summary>The most recent successful scrape.</summary>
    public ServerSnapshot? Latest { get; private set; }

    public long Failures => _failures.Value;

    /// <summary>Accepts <c>HOST:PORT</c> or a full <c>http://</c> URL; a bare address gets <c>/metrics</c>.</summary>
    public static Uri MetricsUri(string hostPort)
    {
        if (string.IsNullOrWhiteSpace(hostPort))
            throw new FormatException("metrics address is empty: expected HOST:PORT, e.g. 127.0.0.1:9100");
        string text = hostPort.Contains("://", StringComparison.Ordinal) ? hostPort : "http://" + hostPort;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !hostPort.Contains("://"))
            throw new FormatException($"metrics address '{hostPort}' is not HOST:PORT or an http:// URL");
        return uri.AbsolutePath is "" or "/" ? new Uri(uri, "/metrics") : uri;
    }

    /// <summary>Starts sampling in the background until <see cref="StopAsync"/>.</summary>
    public void Start() => _loop ??= Task.Run(SampleLoopAsync);

    /// <summary>Scrapes once now and updates the gauges; null (and one failure counted) when the scrape failed.</summary>
    public async Task<ServerSnapshot?> ScrapeOnceAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await _http.GetStringAsync(_uri, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            if (!cancellationToken.IsCancellationRequested)
                _failures.Add();
            return null;
        }
        var snapshot = ServerSnapshot.From(PrometheusTextParser.Parse(text, out _), _time.GetTimestamp());
        Publish(snapshot);
        return snapshot;
    }

    private void Publish(ServerSnapshot snapshot)
    {
        SetIf(_threads, snapshot.OsThreads);
        SetIf(_rssMb, snapshot.RssBytes / (1024 * 1024));
        SetIf(_gcHeapMb, snapshot.GcHeapBytes / (1024 * 1024));
        SetIf(_poolQueue, snapshot.ThreadPoolQueue);
        SetIf(_poolThreads, snapshot.ThreadPoolThreads);
        SetIf(_connections, snapshot.ConnectionsOpen);
        SetIf(_registered, snapshot.ClientsRegistered);
        SetIf(_slowDrops, snapshot.SlowConsumerDisconnects);
        if (_previous is not null)
            SetIf(_cpu, ServerSnapshot.CpuPercent(_previous, snapshot, _time.TimestampFrequency));
        _previous = snapshot;
        Latest = snapshot;
    }

    private static void SetIf(MetricGauge gauge, double? value)
    {
        if (value is double v && double.IsFinite(v))
            gauge.Set(v);
    }

    private async Task SampleLoopAsync()
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            do
            {
                await ScrapeOnceAsync(_stop.Token);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
            await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }
}
