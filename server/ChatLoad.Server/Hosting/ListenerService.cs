using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Metrics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatLoad.Server.Transports;
using ChatLoad.Server.Transports.Admission;
using ChatLoad.Server.Transports.Tls;
using ChatLoad.Server.Transports.Pipelines;
using ChatLoad.Server.Transports.Threads;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Hosting;

/// <summary>
/// The listener as a hosted service: picks the transport by <see cref="ServerOptions.Mode"/>, logs the
/// connection ceiling, and on stop shuts down in Kestrel's stages — stop accepting, ask every client to close
/// (<c>ERROR :Server shutting down</c>, through the core), wait up to ShutdownTimeout, abort the rest.
/// </summary>
internal sealed class ListenerService : IHostedService, IAsyncDisposable
{
    public const string ShutdownReason = "Server shutting down";

    private readonly ServerOptions _options;
    private readonly IConnectionAcceptor _acceptor;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ListenerService> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly StartupFailure _startupFailure;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServerShutdown[] _cores;
    private IConnectionListener? _listener;

    public ListenerService(IOptions<ServerOptions> options, IConnectionAcceptor acceptor, ChatMetrics metrics, TimeProvider time,
        ILoggerFactory loggerFactory, StartupFailure startupFailure, IHostApplicationLifetime lifetime,
        IEnumerable<IServerShutdown> cores)
    {
        _options = options.Value;
        _acceptor = acceptor;
        _metrics = metrics;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ListenerService>();
        _startupFailure = startupFailure;
        _lifetime = lifetime;
        _cores = cores.ToArray();
    }

    /// <summary>The bound address, with the real port when 0 was configured. Null until started.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The TLS listener's address, when <see cref="ServerOptions.TlsPort"/> is set. Null until started.</summary>
    public IPEndPoint? TlsEndPoint { get; private set; }

    /// <summary>Most clients admitted at once (MaxClients or this mode's ceiling).</summary>
    public int ConnectionLimit => _listener?.ConnectionLimit ?? 0;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _listener?.OpenConnections ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ConnectionMode mode = _options.Mode ?? throw new InvalidOperationException("Mode was not validated");
        ConnectionCeiling ceiling = ConnectionCeiling.Measure(_options.DescriptorHeadroom);
        HostingLog.Ceiling(_logger, ceiling.ThreadsModeLimit, ConnectionCeiling.ThreadsPerClient, ceiling.ThreadLimit, ceiling.MaxMapCount,
            ceiling.MappingsInUse, ConnectionCeiling.MappingsPerThread, ConnectionCeiling.MappingHeadroom, ceiling.DescriptorLimit,
            ceiling.OpenFileLimit, ceiling.DescriptorsInUse, _options.MaxClients);

        // The metrics endpoint's descriptors come out of the same open-file limit: reserve them first, so HTTP
        // clients can never take what an IRC client was promised (nor push the process into EMFILE).
        int reservedForMetrics = PrometheusEndpoint.ReservedDescriptors(_options);
        int descriptors = Math.Max(0, ceiling.DescriptorLimit - reservedForMetrics);
        int modeCeiling = mode == ConnectionMode.Threads
            ? Math.Min(ceiling.ThreadLimit / ConnectionCeiling.ThreadsPerClient, descriptors)
            : descriptors;
        if (reservedForMetrics > 0)
            HostingLog.DescriptorsReserved(_logger, reservedForMetrics, modeCeiling);
        if (_options.MaxClients > modeCeiling)
            HostingLog.MaxClientsAboveCeiling(_logger, _options.MaxClients, modeCeiling);
        int limit = Math.Min(_options.MaxClients, modeCeiling);

        IConnectionListener listener;
        try
        {
            listener = CreateListener(mode, limit, CreateTlsEndpoint(), reservedForMetrics);
            listener.Start();
        }
        catch (CryptographicException ex)
        {
            HostingLog.ListenFailed(_logger, _options.Bind, _options.TlsPort, ex.Message);
            _startupFailure.Fail($"cannot load the TLS certificate '{_options.TlsCertificate}': {ex.Message}");
            _lifetime.StopApplication();
            return Task.CompletedTask;
        }
        catch (SocketException ex)
        {
            // Port in use, address not available: one line, a non-zero exit, no stack trace.
            HostingLog.ListenFailed(_logger, _options.Bind, _options.Port, ex.Message);
            _startupFailure.Fail($"cannot listen on {_options.Bind}:{_options.Port}: {ex.Message}");
            _lifetime.StopApplication();
            return Task.CompletedTask;
        }
        catch (NotSupportedException ex)
        {
            HostingLog.ListenFailed(_logger, _options.Bind, _options.Port, ex.Message);
            _startupFailure.Fail(ex.Message);
            _lifetime.StopApplication();
            return Task.CompletedTask;
        }

        _listener = listener;
        LocalEndPoint = listener.LocalEndPoint;
        TlsEndPoint = listener.TlsEndPoint;
        HostingLog.Listening(_logger, listener.LocalEndPoint, mode, limit);
        if (TlsEndPoint is not null)
            HostingLog.ListeningTls(_logger, TlsEndPoint, _options.MaxTlsHandshakes, _options.TlsHandshakeTimeout.TotalSeconds);
        return Task.CompletedTask;
    }

    private ConnectionListener CreateListener(ConnectionMode mode, int limit, TlsEndpoint? tls, int reservedForMetrics)
    {
        ILogger logger = _loggerFactory.CreateLogger(mode == ConnectionMode.Threads ? typeof(BlockingConnection) : typeof(SocketConnection));
        var context = new Transports.TransportContext(_options, _metrics, _time, logger);
        AddressLimitSettings.TryParseNetworks(_options.PerAddressExempt, out IReadOnlyList<System.Net.IPNetwork> exempt, out _); // validated at start
        var addressLimits = new AddressLimits(new AddressLimitSettings(_options.MaxConnectionsPerAddress,
            Chat.Limits.RateSettings.Create(_options.ConnectBurstPerAddress, _options.ConnectIntervalPerAddress, _time), exempt), _time);
        var admission = new ConnectionAdmission(limit, addressLimits);
        List<ListenEndpoint> endpoints = [new(_options.Bind, _options.Port)];
        if (tls is not null)
            endpoints.Add(new ListenEndpoint(_options.Bind, _options.TlsPort, tls));
        return mode == ConnectionMode.Threads
            ? new ConnectionListener(endpoints, _acceptor, context, admission, static () => new BlockingAcceptLoop(),
                static (socket, remote, context, tls) => new BlockingConnection(socket, remote, context, tls), reservedForMetrics)
            : new ConnectionListener(endpoints, _acceptor, context, admission, () => new AsyncAcceptLoop(_time),
                static (socket, remote, context, tls) => new SocketConnection(socket, remote, context, tls), reservedForMetrics);
    }

    // The TLS endpoint when a TLS port is configured: its certificate loaded (or generated) now, so a bad file
    // fails the start with one line rather than the first client's handshake.
    private TlsEndpoint? CreateTlsEndpoint()
    {
        if (_options.TlsPort == 0)
            return null;
        X509Certificate2 certificate = ServerCertificate.Load(_options, _time);
        HostingLog.TlsCertificate(_logger, certificate.Subject, _options.TlsCertificate.Length == 0 ? "generated, self-signed" : _options.TlsCertificate,
            certificate.NotAfter);
        return new TlsEndpoint(certificate, _options.TlsHandshakeTimeout, _options.MaxTlsHandshakes);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IConnectionListener? listener = _listener;
        if (listener is null)
            return;
        long start = _time.GetTimestamp();

        // Stage 1: no new clients.
        listener.StopAccepting();
        HostingLog.ShutdownStarted(_logger, listener.OpenConnections, _options.ShutdownTimeout);

        // Stage 2: every client is told why (the core knows its sessions; the transport catches any it never saw).
        // Close only queues the ERROR line; off the calling thread anyway, since thousands of them take a moment.
        Task closing = Task.Run(() =>
        {
            foreach (IServerShutdown core in _cores)
                core.CloseAllClients(ShutdownReason);
            listener.CloseAll(ShutdownReason);
        }, CancellationToken.None);

        // Stage 3: wait for them to go, up to ShutdownTimeout.
        bool drained = await listener.WaitForConnectionsToCloseAsync(_options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);

        // Stage 4: abort the rest.
        if (!drained)
        {
            HostingLog.ShutdownAborting(_logger, listener.OpenConnections);
            listener.AbortAll();
            await listener.WaitForConnectionsToCloseAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
        }
        await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None)).ConfigureAwait(false);
        HostingLog.ShutdownComplete(_logger, _time.GetElapsedTime(start).TotalMilliseconds);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
            await _listener.DisposeAsync().ConfigureAwait(false);
    }
}
