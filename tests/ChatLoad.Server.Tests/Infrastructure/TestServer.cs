using System.Net;
using System.Net.Http;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Tests.Infrastructure;

/// <summary>
/// The real server host, started in-process on 127.0.0.1 and a free port, for one connection mode.
/// <code>
/// await using var server = await TestServer.StartAsync(mode, new() { ["MaxClients"] = "2" });
/// await using var alice = await server.ConnectAndRegisterAsync("alice");
/// </code>
/// Option keys without a ':' are ServerOptions properties ("SendQueueBytes", "PingInterval" = "00:00:01");
/// keys with one are raw configuration keys ("Logging:LogLevel:Default"). Logging is at Warning unless overridden.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestServer(IHost host, ConnectionMode mode, int port, int? metricsPort, int? tlsPort)
    {
        _host = host;
        Mode = mode;
        Port = port;
        MetricsPort = metricsPort;
        TlsPort = tlsPort;
    }

    /// <summary>The TLS port, when started with <c>enableTls: true</c>.</summary>
    public int? TlsPort { get; }

    public ConnectionMode Mode { get; }

    /// <summary>The port the chat listener is bound to on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The Prometheus endpoint's port, when started with <c>enableMetrics: true</c>.</summary>
    public int? MetricsPort { get; }

    /// <summary>The host's services (ChatMetrics, IOptions&lt;ServerOptions&gt;, the core ...).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The options the server actually runs with.</summary>
    public ServerOptions Options => _host.Services.GetRequiredService<IOptions<ServerOptions>>().Value;

    /// <summary>HTTP connections the metrics endpoint holds open now.</summary>
    public int MetricsConnections => _host.Services.GetRequiredService<PrometheusEndpoint>().OpenConnections;

    /// <summary>Connections the listener holds open now.</summary>
    public int OpenConnections => _host.Services.GetRequiredService<ListenerService>().OpenConnections;

    /// <summary>Starts the host; returns once it is listening.</summary>
    /// <param name="mode">Connection model under test.</param>
    /// <param name="options">Option overrides (see the class remarks for key forms).</param>
    /// <param name="enableMetrics">Also serve /metrics on a free port (see <see cref="MetricsPort"/>).</param>
    /// <param name="enableTls">Also listen for TLS on a free port (see <see cref="TlsPort"/>), with a generated certificate.</param>
    public static async Task<TestServer> StartAsync(ConnectionMode mode, Dictionary<string, string?>? options = null, bool enableMetrics = false,
        bool enableTls = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Server:Mode"] = mode.ToString(),
            ["Server:Port"] = "0",
            ["Server:Bind"] = "127.0.0.1",
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test client comes from 127.0.0.1, many at once: the per-address limits are lifted here, as the
            // load suite lifts them, and the tests of those limits set them again.
            ["Server:MaxConnectionsPerAddress"] = "0",
            ["Server:ConnectBurstPerAddress"] = "0",
        };
        int? metricsPort = enableMetrics ? FreePort.Next() : null;
        if (metricsPort is { } mp)
            settings["Server:MetricsPort"] = mp.ToString();
        if (enableTls)
            settings["Server:TlsPort"] = FreePort.Next().ToString();
        foreach ((string key, string? value) in options ?? [])
            settings[key.Contains(':') ? key : ServerOptions.SectionName + ":" + key] = value;

        IHost host = ServerHost.CreateBuilder([], settings).Build();
        await host.StartAsync().ConfigureAwait(false);
        StartupFailure failure = host.Services.GetRequiredService<StartupFailure>();
        ListenerService listener = host.Services.GetRequiredService<ListenerService>();
        if (failure.Reason is not null || listener.LocalEndPoint is null)
        {
            host.Dispose();
            throw new InvalidOperationException("test server did not start: " + (failure.Reason ?? "no endpoint"));
        }
        return new TestServer(host, mode, listener.LocalEndPoint.Port, metricsPort, listener.TlsEndPoint?.Port);
    }

    /// <summary>A new client connected to this server (not registered).</summary>
    public Task<TestIrcClient> ConnectAsync(int? receiveBufferBytes = null) => TestIrcClient.ConnectAsync(Port, receiveBufferBytes);

    /// <summary>A new client from <paramref name="source"/> (another loopback address: 127.0.0.2 ...), not registered.</summary>
    public Task<TestIrcClient> ConnectFromAsync(IPAddress source) => TestIrcClient.ConnectAsync(IPAddress.Loopback, Port, source: source);

    /// <summary>A new client of the TLS port (see <see cref="TlsPort"/>), handshake done, not registered.</summary>
    public Task<TestIrcClient> ConnectTlsAsync() =>
        TestIrcClient.ConnectTlsAsync(TlsPort ?? throw new InvalidOperationException("started without a TlsPort"));

    /// <summary>A new client, registered as <paramref name="nick"/> (the welcome burst is consumed).</summary>
    public async Task<TestIrcClient> ConnectAndRegisterAsync(string nick, int? receiveBufferBytes = null)
    {
        TestIrcClient client = await ConnectAsync(receiveBufferBytes).ConfigureAwait(false);
        await client.RegisterAsync(nick).ConfigureAwait(false);
        return client;
    }

    /// <summary>GET /metrics as text (requires <c>enableMetrics: true</c>).</summary>
    public async Task<string> ScrapeMetricsAsync()
    {
        int port = MetricsPort ?? throw new InvalidOperationException("started without enableMetrics");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://127.0.0.1:{port}/metrics").ConfigureAwait(false);
    }

    /// <summary>Graceful shutdown, as on SIGTERM: stop accepting, ERROR to every client, wait, abort the rest.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _host.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            else
                _host.Dispose();
        }
    }
}
