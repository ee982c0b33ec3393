using System.Security.Cryptography;
using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadTests.ServerMetrics;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>How a cluster scenario settles loss sender by sender: this agent's senders with their sent counts, its
/// receivers, and which senders each receiver should hear.</summary>
internal sealed record ClusterReconciliation(
    Func<IReadOnlyList<(int Sender, long Sent)>> OwnSenders,
    Func<IEnumerable<int>> OwnReceivers,
    Func<int, IEnumerable<int>> SendersHeardBy);

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

    /// <summary>Starts every nick and channel of this run: 5 characters, a letter first (nicks must start with one).
    /// Random per process, except in a cluster run whose clients are laid out over the cluster: then derived from the
    /// run id, so every agent names the same channels.</summary>
    public string Prefix { get; private set; }

    /// <summary>This agent's part of a cluster run (null in a single process).</summary>
    public ClusterShare? Cluster { get; private set; }

    /// <summary>For a cluster run whose senders and receivers sit on different agents (room-chat): how loss is settled
    /// sender by sender (see <see cref="DeliveryLedger.SettleLossAcrossAgentsAsync"/>). Null: each agent settles its own.</summary>
    public ClusterReconciliation? Reconciliation { get; set; }

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

    /// <summary>Creates the shared metrics, starts the scraper and takes the server's baseline (before any client).
    /// In a cluster run only the first agent scrapes the server (its figures are the server's, not an agent's), and
    /// every agent waits here until it has its baseline, so no agent's clients are in it; with
    /// <paramref name="clusterLayout"/> the clients' names are the cluster's (see <see cref="Prefix"/>).</summary>
    public async Task BeginAsync(ScenarioInitContext context, bool clusterLayout = false)
    {
        _metrics = context.Metrics;
        _time = context.Time;
        Cluster = context.Cluster;
        if (clusterLayout && Cluster is { } layout) Prefix = SharedPrefix(layout.RunId, Scenario);
        await TargetProbe.EnsureReachableAsync(Common.Target, context.CancellationToken);
        _connected = context.Metrics.Gauge(ChatMetricNames.ConnectedClients, "clients");
        _unexpectedDisconnects = context.Metrics.Counter(ChatMetricNames.UnexpectedDisconnects);
        context.Properties["target"] = Common.Target.ToString();
        if (Common.MetricsAddress is { } address && Cluster is null or { AgentIndex: 0 })
        {
            _scraper = new ServerMetricsScraper(address, context.Metrics, context.Time);
            _baseline = await _scraper.ScrapeOnceAsync(context.CancellationToken);
            context.Notes.Add(_baseline is null
                ? $"server metrics at {ServerMetricsScraper.MetricsUri(address)} did not answer the baseline scrape"
                : $"server baseline before clients: {Describe(_baseline)}");
            _scraper.Start();
        }
        if (Cluster is { } cluster)
            await cluster.BarrierAsync("server baseline", context.CancellationToken);
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
    public Task<ClientFleet> OpenFleetAsync(ScenarioInitContext context, int count,
        Func<IrcLoadClient, CancellationToken, Task> setup, Func<int, IrcLoadClientOptions, IrcLoadClientOptions>? adjustOptions = null) =>
        OpenFleetAsync(context, Enumerable.Range(0, count).ToArray(), setup, adjustOptions);

    /// <summary>As above for the clients numbered <paramref name="ids"/> (a cluster agent's share of the cluster's
    /// clients); the fleet's index j holds client ids[j].</summary>
    public async Task<ClientFleet> OpenFleetAsync(ScenarioInitContext context, IReadOnlyList<int> ids,
        Func<IrcLoadClient, CancellationToken, Task> setup, Func<int, IrcLoadClientOptions, IrcLoadClientOptions>? adjustOptions = null)
    {
        int count = ids.Count;
        var options = ClientOptions();
        var sources = Cluster is { SourceAddresses.Count: > 0 } cluster
            ? SourceAddressPlan.Of(cluster.SourceAddresses)
            : SourceAddressPlan.For(Common.Target, count, Common.SourceAddresses);
        long start = _time.GetTimestamp();
        Fleet = await ClientFleet.OpenAsync(
            count,
            j => new IrcLoadClient(ids[j], NickFor(ids[j]), adjustOptions?.Invoke(ids[j], options) ?? options, sources.For(j)),
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
        foreach (var (reason, n) in Fleet.Failures)
            context.Metrics.Counter(ChatMetricNames.SetupFailed(reason)).Add(n);
        context.Properties["clients"] = count.ToString();
        context.Properties["clients ready"] = Fleet.Ready.Count.ToString();
        if (Cluster is { SourceAddresses.Count: > 0 } bound)
            context.Properties["source addresses"] = string.Join(", ", bound.SourceAddresses);
        else if (sources.AddressCount > 1)
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
    /// per-client footprint while the clients are still held, quits everyone, and takes a last scrape. In a cluster
    /// run the drain is the whole cluster's, the footprint divides by the clients every agent holds, and no agent
    /// quits its clients before the footprint is taken.
    /// </summary>
    public async Task EndAsync(ScenarioInitContext context)
    {
        try
        {
            await SettleAsync(context);
            int held = Volatile.Read(ref _live);
            if (Cluster is { } cluster)
                held = (int)(await cluster.SumAsync("clients held", [held], context.CancellationToken))[0];
            if (_scraper is not null)
            {
                var loaded = await _scraper.ScrapeOnceAsync(CancellationToken.None);
                if (ServerFootprint.Record(Metrics, _baseline, loaded, held) is { } footprint)
                    context.Notes.Add(footprint);
            }
            if (Cluster is { } everyone)
                await everyone.BarrierAsync("quit", context.CancellationToken);
        }
        finally
        {
            // Whatever happened above (a cluster collective timing out), no client outlives the scenario.
            List<IrcLoadClient> extras;
            lock (_extraClients)
                extras = _extraClients.ToList();
            await ClientFleet.QuitAllAsync((Fleet?.Ready ?? []).Concat(extras), Common.CleanupTimeout);
        }

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

    private async Task SettleAsync(ScenarioInitContext context)
    {
        if (Ledger is { } ledger)
        {
            long lost;
            if (Cluster is { } cluster)
            {
                await ledger.DrainAcrossAgentsAsync(cluster, Common.Drain, context.CancellationToken);
                lost = Reconciliation is { } r
                    ? await ledger.SettleLossAcrossAgentsAsync(cluster, r.OwnSenders(), r.OwnReceivers(), r.SendersHeardBy, context.CancellationToken)
                    : await ledger.SettleLossAsync(TimeSpan.Zero, CancellationToken.None);
            }
            else
            {
                lost = await ledger.SettleLossAsync(Common.Drain, CancellationToken.None);
            }
            context.Notes.Add($"messages: {ledger.Expected} expected, {ledger.Delivered} delivered, {lost} lost " +
                              $"(after up to {Common.Drain.TotalSeconds:0.#} s drain), {ledger.OutOfOrder} out of order, {ledger.Duplicates} duplicates" +
                              (Cluster is not null && Reconciliation is not null
                                  ? " (on this agent: expected by its senders, delivered to and lost by its receivers)"
                                  : ""));
        }
        if (UnexpectedDisconnects > 0)
            context.Notes.Add($"{UnexpectedDisconnects} clients were disconnected by the server during the run");
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

    /// <summary>The same 5-character prefix on every agent of a cluster run, and a different one per scenario.</summary>
    private static string SharedPrefix(string runId, string scenario)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        const string alphanumerics = letters + "0123456789";
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runId + "/" + scenario));
        Span<char> prefix = stackalloc char[5];
        prefix[0] = letters[hash[0] % letters.Length];
        for (int i = 1; i < prefix.Length; i++)
            prefix[i] = alphanumerics[hash[i] % alphanumerics.Length];
        return new string(prefix);
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
