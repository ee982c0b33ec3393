using System.Security.Cryptography;
using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// What every chat scenario run shares: the server-metrics scraper, the client options, the fleet of long-lived
/// clients, the delivery ledger, and the bounded clean-up. It is also every client's observer, so a chat line goes
/// straight from a receive loop into the ledger. One instance per scenario run (made by the scenario's factory).
/// </summary>
internal sealed class ChatRun : IClientObserver
{
    private readonly List<IrcLoadClient> _extraClients = new();
    private ScenarioMetrics? _metrics;
    private TimeProvider _time = TimeProvider.System;
    private ServerMetricsScraper? _scraper;
    private ServerSnapshot? _baseline;
    private MetricGauge? _connected;
    private MetricCounter? _unexpectedDisconnects;
    private int _live;

    public ChatRun(string scenario, CommonChatOptions common)
    {
        Scenario = scenario;
        Common = common;
        Prefix = NewRunPrefix();
    }

    public string Scenario { get; }
    public CommonChatOptions Common { get; }

    /// <summary>Starts every nick and channel of this run: 5 characters, a letter first (nicks must start with one).</summary>
    public string Prefix { get; }

    public DeliveryLedger? Ledger { get; private set; }
    public ClientFleet? Fleet { get; private set; }
    public ServerMetricsScraper? Scraper => _scraper;

    /// <summary>When true, PONGs to <see cref="IrcLoadClient.PingAsync"/> are tracked as deliveries (ping-pong).</summary>
    public bool TrackPongs { get; init; }

    /// <summary>Clients the server dropped that this side did not close, tracked receivers only.</summary>
    public long UnexpectedDisconnects => _unexpectedDisconnects?.Value ?? 0;

    public TimeProvider Time => _time;

    public ScenarioMetrics Metrics => _metrics ?? throw new InvalidOperationException("BeginAsync first");

    public string NickFor(int index) => $"{Prefix}{index}";

    /// <summary>Creates the shared metrics, starts the scraper and takes the server's baseline (before any client).</summary>
    public async Task BeginAsync(ScenarioInitContext context)
    {
        _metrics = context.Metrics;
        _time = context.Time;
        _connected = context.Metrics.Gauge(ChatMetricNames.ConnectedClients, "clients");
        _unexpectedDisconnects = context.Metrics.Counter(ChatMetricNames.UnexpectedDisconnects);
        context.Properties["target"] = Common.Target.ToString();
        if (Common.MetricsAddress is { } address)
        {
            _scraper = new ServerMetricsScraper(address, context.Metrics, context.Time);
            _baseline = await _scraper.ScrapeOnceAsync(context.CancellationToken);
            context.Notes.Add(_baseline is null
                ? $"server metrics at {ServerMetricsScraper.MetricsUri(address)} did not answer the baseline scrape"
                : $"server baseline before clients: {Describe(_baseline)}");
            _scraper.Start();
        }
    }

    public DeliveryLedger CreateLedger(int receivers) => Ledger = new DeliveryLedger(Metrics, _time, receivers);

    public IrcLoadClientOptions ClientOptions() => new()
    {
        Server = Common.Target,
        Time = _time,
        Observer = this,
        ConnectTimeout = Common.ConnectTimeout,
        ResponseTimeout = Common.ResponseTimeout,
    };

    /// <summary>
    /// Opens <paramref name="count"/> clients at the configured pace and runs <paramref name="setup"/> on each; records
    /// how many made it and why the others failed. Throws only when none made it (nothing to measure).
    /// </summary>
    public async Task<ClientFleet> OpenFleetAsync(ScenarioInitContext context, int count,
        Func<IrcLoadClient, CancellationToken, Task> setup, Func<int, IrcLoadClientOptions, IrcLoadClientOptions>? adjustOptions = null)
    {
        var options = ClientOptions();
        var sources = SourceAddressPlan.For(Common.Target, count, Common.SourceAddresses);
        long start = _time.GetTimestamp();
        Fleet = await ClientFleet.OpenAsync(
            count,
            i => new IrcLoadClient(i, NickFor(i), adjustOptions?.Invoke(i, options) ?? options, sources.For(i)),
            async (client, ct) =>
            {
                await setup(client, ct);
                ClientOpened(client);
            },
            Common.Pacing,
            _time,
            context.CancellationToken);
        var took = _time.GetElapsedTime(start);

        context.Metrics.Counter(ChatMetricNames.ConnectFailures).Add(Fleet.FailureCount);
        context.Properties["clients"] = count.ToString();
        context.Properties["clients ready"] = Fleet.Ready.Count.ToString();
        if (sources.AddressCount > 1)
            context.Properties["source addresses"] = $"127.0.0.1-127.0.0.{sources.AddressCount}";
        context.Notes.Add($"{Fleet.Ready.Count} of {count} clients set up in {took.TotalSeconds:0.0} s " +
                          $"(pace {Common.Pacing.RatePerSecond:0}/s, {Common.Pacing.MaxInFlight} at once)");
        if (Fleet.FailureCount > 0)
        {
            context.Notes.Add("setup failures: " + string.Join(", ", Fleet.Failures.Select(f => $"{f.Key} {f.Value}")));
            context.Notes.AddRange(Fleet.FailureSamples.Select(s => "  e.g. " + s));
        }
        if (Fleet.Ready.Count == 0)
        {
            // The engine skips clean after a failed init: stop sampling here so nothing outlives the scenario.
            if (_scraper is not null)
                await _scraper.DisposeAsync();
            _scraper = null;
            throw new InvalidOperationException(
                $"{Scenario}: none of {count} clients could connect to {Common.Target}: " +
                string.Join(", ", Fleet.Failures.Select(f => $"{f.Key} {f.Value}")) +
                (Fleet.FailureSamples.FirstOrDefault() is { } sample ? $" ({sample})" : ""));
        }
        return Fleet;
    }

    /// <summary>For an init that fails after its fleet opened (the engine skips clean then): closes every client and
    /// stops sampling, then throws <paramref name="reason"/> as the init failure.</summary>
    public async Task<Exception> FailInitAsync(string reason)
    {
        if (Fleet is not null)
            await ClientFleet.QuitAllAsync(Fleet.Ready, Common.CleanupTimeout);
        if (_scraper is not null)
            await _scraper.DisposeAsync();
        _scraper = null;
        return new InvalidOperationException($"{Scenario}: {reason}");
    }

    /// <summary>A client opened outside the fleet (churn sessions): counted live, quit in clean if still open.</summary>
    public void Adopt(IrcLoadClient client)
    {
        lock (_extraClients)
            _extraClients.Add(client);
    }

    public void Release(IrcLoadClient client)
    {
        lock (_extraClients)
            _extraClients.Remove(client);
    }

    /// <summary>Counts <paramref name="client"/> as connected (the "connected clients" gauge) until it closes.</summary>
    public void ClientOpened(IrcLoadClient client)
    {
        if (!client.TryMarkCounted())
            return;
        _connected?.Set(Interlocked.Increment(ref _live));
        if (client.CloseStatus is not null && client.TryUnmarkCounted())
            _connected?.Set(Interlocked.Decrement(ref _live)); // it closed while being counted: OnClosed missed it
    }

    /// <summary>
    /// Ends the run within bounded time: waits for messages in flight (settling loss), records the server's
    /// per-client footprint while the clients are still held, quits everyone, and takes a last scrape.
    /// </summary>
    public async Task EndAsync(ScenarioInitContext context)
    {
        if (Ledger is { } ledger)
        {
            long lost = await ledger.SettleLossAsync(Common.Drain, CancellationToken.None);
            context.Notes.Add($"messages: {ledger.Expected} expected, {ledger.Delivered} delivered, {lost} lost " +
                              $"(after up to {Common.Drain.TotalSeconds:0.#} s drain), {ledger.OutOfOrder} out of order, {ledger.Duplicates} duplicates");
        }
        if (UnexpectedDisconnects > 0)
            context.Notes.Add($"{UnexpectedDisconnects} clients were disconnected by the server during the run");

        if (_scraper is not null)
        {
            var loaded = await _scraper.ScrapeOnceAsync(CancellationToken.None);
            int held = Volatile.Read(ref _live);
            if (ServerFootprint.Record(Metrics, _baseline, loaded, held) is { } footprint)
                context.Notes.Add(footprint);
        }

        List<IrcLoadClient> extras;
        lock (_extraClients)
            extras = _extraClients.ToList();
        var everyone = (Fleet?.Ready ?? []).Concat(extras);
        await ClientFleet.QuitAllAsync(everyone, Common.CleanupTimeout);

        if (_scraper is not null)
        {
            await _scraper.StopAsync();
            // Give the server a moment to finish closing sessions, then record what it still holds (leak check).
            await Task.Delay(TimeSpan.FromMilliseconds(500), _time);
            if (await _scraper.ScrapeOnceAsync(CancellationToken.None) is { } after)
                context.Notes.Add($"server after clean-up: {Describe(after)}");
            if (_scraper.Failures > 0)
                context.Notes.Add($"{_scraper.Failures} server metric scrapes failed");
            await _scraper.DisposeAsync();
        }
    }

    void IClientObserver.OnChatMessage(IrcLoadClient receiver, ReadOnlySpan<byte> text)
    {
        if (Ledger is not { } ledger)
            return;
        if (receiver.Tag is SenderSequenceTracker own)
            ledger.RecordArrival(own, text);
        else
            ledger.RecordArrival(receiver.Id, text);
    }

    void IClientObserver.OnPong(IrcLoadClient receiver, long sequence)
    {
        if (TrackPongs)
            Ledger?.RecordArrival(receiver.Id, receiver.Id, sequence, receiver.PingSentTimestamp);
    }

    void IClientObserver.OnClosed(IrcLoadClient client, string reason)
    {
        if (!client.TryUnmarkCounted())
            return; // never counted: a failed setup, counted by the fleet
        _connected?.Set(Interlocked.Decrement(ref _live));
        bool tracked = client.Tag is SenderSequenceTracker || Ledger is null || Ledger.IsTracked(client.Id);
        if (!client.ClosedByClient && tracked)
            _unexpectedDisconnects?.Add();
    }

    private static string Describe(ServerSnapshot s)
    {
        var parts = new List<string>();
        if (s.OsThreads is double t) parts.Add($"{t:0} OS threads");
        if (s.RssBytes is double rss) parts.Add($"RSS {rss / 1048576:0.0} MB");
        if (s.GcHeapBytes is double heap) parts.Add($"GC heap {heap / 1048576:0.0} MB");
        if (s.ConnectionsOpen is double c) parts.Add($"{c:0} connections");
        if (s.ClientsRegistered is double r) parts.Add($"{r:0} registered clients");
        return parts.Count == 0 ? "no known figures in the scrape" : string.Join(", ", parts);
    }

    private static string NewRunPrefix()
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        const string alphanumerics = letters + "0123456789";
        Span<char> prefix = stackalloc char[5];
        prefix[0] = letters[RandomNumberGenerator.GetInt32(letters.Length)];
        for (int i = 1; i < prefix.Length; i++)
            prefix[i] = alphanumerics[RandomNumberGenerator.GetInt32(alphanumerics.Length)];
        return new string(prefix);
    }
}
