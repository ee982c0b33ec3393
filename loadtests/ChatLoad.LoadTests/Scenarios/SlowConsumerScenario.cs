using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>slow-consumer</c>: room chat in which a fraction of each channel's members stop reading part-way through the
/// run (and send nothing). Everyone else's latency and loss are measured as in room-chat — a server whose slow
/// readers stall the broadcast shows it here — and at the end the slow ones are checked: the server should have
/// dropped them (ERROR :SendQ exceeded or a send timeout) rather than buffer for them without bound.
/// </summary>
/// <remarks>
/// Each slow client also joins every other channel (up to <see cref="MaxChannelsPerSlowClient"/>), so it is sent
/// the whole run's traffic while each healthy client gets only its own channel's. That matters on loopback: the
/// server's kernel send buffer autotunes to megabytes (tcp_wmem max 4 MiB here) before the server's own SendQ
/// even starts to fill, and a slow client must be sent that much before any server can notice it.
/// </remarks>
internal static class SlowConsumerScenario
{
    public const string Name = "slow-consumer";
    public const string SlowConsumers = "slow consumers";
    public const string SlowDropped = "slow consumers dropped";
    public const string SlowNotDropped = "slow consumers not dropped";
    public const string SendQueueErrors = "sendq exceeded errors";

    /// <summary>Channels a slow client joins at most. Default 50, half the server's default CHANLIMIT (100).</summary>
    public const int MaxChannelsPerSlowClient = 50;

    private static readonly string[] Keys =
        [.. CommonChatOptions.Keys, "room-size", "padding", "slow-fraction", "slow-after", "slow-receive-buffer", "drop-check-timeout"];

    public static ScenarioFactory Factory { get; } = new(Name,
        "room chat where --set slow-fraction=0.1 of members stop reading after slow-after; others' latency and loss, " +
        "and whether the slow ones are dropped", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, Keys);
        var common = CommonChatOptions.Read(settings, reader);
        var duration = ChatLoadShapes.Positive(settings.Duration, TimeSpan.FromSeconds(20), "--duration");
        var shape = new SlowShape(
            Clients: ChatLoadShapes.AtLeast(settings.Clients, 60, 3, "--clients"),
            RoomSize: reader.Int("room-size", 10, 3, 100_000),
            PaddingBytes: reader.Int("padding", 380, 0, ChatPayload.MaxPaddingBytes),
            SlowFraction: reader.Double("slow-fraction", 0.1, 0.001, 0.5),
            SlowAfter: reader.Duration("slow-after", duration / 4, TimeSpan.Zero, duration),
            // 4 KiB SO_RCVBUF: the slow client's kernel buffer fills after a few dozen lines, so the server's own
            // send queue limit (not the generator's kernel) decides when it is dropped.
            SlowReceiveBufferBytes: reader.Int("slow-receive-buffer", 4096, 0, 16 * 1024 * 1024),
            DropCheckTimeout: reader.Duration("drop-check-timeout", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)));
        var run = new SlowConsumerRun(new ChatRun(Name, common), shape);
        var thresholds = new List<Threshold> { Threshold.Create($"counter:{SlowNotDropped} == 0") };
        if (common.LossThresholds)
            thresholds.AddRange(ChatLoadShapes.NoLossNoDisorder());
        return Scenario.Create(Name, run.SendOneAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.CleanAsync)
            .WithLoadSimulations(ChatLoadShapes.InjectPerSecond(settings.Rate ?? 1000, duration))
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithThresholds([.. thresholds])
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom)
            .WithDeclaredMetrics(ChatScenarioMetrics.Declared)
            .WithHeadlineLatency(ChatMetricNames.EndToEndLatency);
    }

    private sealed record SlowShape(int Clients, int RoomSize, int PaddingBytes, double SlowFraction, TimeSpan SlowAfter,
        int SlowReceiveBufferBytes, TimeSpan DropCheckTimeout)
    {
        /// <summary>The first ceil(fraction × room size) members of each channel are slow; at least two stay healthy.</summary>
        public int SlowPerRoom => Math.Min((int)Math.Ceiling(SlowFraction * RoomSize), RoomSize - 2);

        public bool IsSlow(int client) => client % RoomSize < SlowPerRoom && RoomSizeOf(client) - SlowPerRoom >= 2;

        private int RoomSizeOf(int client) => Math.Min(RoomSize, Clients - client / RoomSize * RoomSize);
    }

    private sealed class SlowConsumerRun(ChatRun rig, SlowShape shape)
    {
        private RoomLayout _layout = null!;
        private IrcLoadClient[] _senders = [];
        private IrcLoadClient[] _slow = [];
        private int[] _recipients = [];
        private long _firstIteration = -1;
        private int _paused;

        public ChatRun Rig { get; } = rig;

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            _layout = new RoomLayout(Rig.Prefix, shape.Clients, shape.RoomSize);
            var ledger = Rig.CreateLedger(shape.Clients);
            for (int i = 0; i < shape.Clients; i++)
                if (shape.IsSlow(i))
                    ledger.Untrack(i);
            var fleet = await Rig.OpenFleetAsync(context, shape.Clients, async (client, ct) =>
                {
                    await client.ConnectAsync(ct);
                    await client.RegisterAsync(ct);
                    await client.JoinAsync(_layout.ChannelOf(client.Id), ct);
                    if (shape.IsSlow(client.Id))
                        foreach (int room in Enumerable.Range(0, _layout.RoomCount).Where(r => r != _layout.RoomOf(client.Id)).Take(MaxChannelsPerSlowClient - 1))
                            await client.JoinAsync(_layout.Channel(room), ct);
                },
                (i, options) => shape.IsSlow(i) ? options with { ReceiveBufferBytes = shape.SlowReceiveBufferBytes } : options);
            _senders = fleet.Ready.Where(c => !shape.IsSlow(c.Id)).ToArray();
            _slow = fleet.Ready.Where(c => shape.IsSlow(c.Id)).ToArray();
            if (_senders.Length == 0 || _slow.Length == 0)
                throw await Rig.FailInitAsync($"needs both healthy and slow clients connected ({_senders.Length} healthy, {_slow.Length} slow)");
            _recipients = RoomChatScenario.ExpectedRecipients(_layout, fleet, ledger.IsTracked);
            context.Metrics.Counter(SlowConsumers).Add(_slow.Length);
            foreach (var name in new[] { SlowDropped, SlowNotDropped, SendQueueErrors })
                context.Metrics.Counter(name); // exist from the start, so thresholds find them even if clean is cut short
            context.Properties["rooms"] = _layout.RoomCount.ToString();
            context.Properties["slow consumers"] = _slow.Length.ToString();
            context.Notes.Add($"{_slow.Length} slow consumers (SO_RCVBUF {shape.SlowReceiveBufferBytes} B) stop reading " +
                              $"{shape.SlowAfter.TotalSeconds:0.#} s into the run, each a member of up to {Math.Min(_layout.RoomCount, MaxChannelsPerSlowClient)} channels; " +
                              $"{_senders.Length} healthy clients in {_layout.RoomCount} channels of {shape.RoomSize}");
        }

        public async ValueTask<Response> SendOneAsync(ScenarioContext context)
        {
            StopSlowReadersWhenDue(context.Time);
            var sender = _senders[(int)(context.InvocationNumber % _senders.Length)];
            try
            {
                int bytes = await sender.SendChatMessageAsync(_layout.ChannelOf(sender.Id), shape.PaddingBytes, context.ScenarioCancellationToken);
                Rig.Ledger!.RecordSent(_recipients[sender.Id]);
                return Response.Ok(bytesSent: bytes);
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
        }

        // The run's clock starts at its first iteration (init may take a while); the slow ones stop once, on time.
        private void StopSlowReadersWhenDue(TimeProvider time)
        {
            long now = time.GetTimestamp();
            Interlocked.CompareExchange(ref _firstIteration, now, -1);
            if (Volatile.Read(ref _paused) == 0 && time.GetElapsedTime(Volatile.Read(ref _firstIteration), now) >= shape.SlowAfter
                && Interlocked.Exchange(ref _paused, 1) == 0)
            {
                foreach (var client in _slow)
                    client.PauseReading();
            }
        }

        public async Task CleanAsync(ScenarioInitContext context)
        {
            // The slow ones read again: what piled up drains, then either the server's close (dropped) or silence.
            // A PING tells the two apart quickly: a client that still gets a PONG was never dropped.
            foreach (var client in _slow)
                client.ResumeReading();
            var outcomes = await Task.WhenAll(_slow.Select(CheckDroppedAsync));
            int dropped = outcomes.Count(d => d);
            int sendQueueErrors = _slow.Count(c => c.CloseStatus == FailureReasons.SendQueueExceeded);
            context.Metrics.Counter(SlowDropped).Add(dropped);
            context.Metrics.Counter(SlowNotDropped).Add(_slow.Length - dropped);
            context.Metrics.Counter(SendQueueErrors).Add(sendQueueErrors);
            var reasons = _slow.Where(c => c.CloseStatus is not null && !c.ClosedByClient)
                .GroupBy(c => c.ServerError is { } e ? $"ERROR :{e}" : c.CloseStatus!)
                .Select(g => $"{g.Key} x{g.Count()}");
            context.Notes.Add($"slow consumers: {dropped} of {_slow.Length} dropped by the server ({string.Join(", ", reasons)}); " +
                              $"{sendQueueErrors} saw ERROR :SendQ exceeded");
            await Rig.EndAsync(context);
        }

        private async Task<bool> CheckDroppedAsync(IrcLoadClient client)
        {
            if (client.CloseStatus is not null)
                return !client.ClosedByClient;
            try
            {
                using var timeout = new CancellationTokenSource(shape.DropCheckTimeout);
                await client.PingAsync(long.MaxValue, timeout.Token);
                return false; // answered: still connected
            }
            catch (Exception e) when (e is LoadClientException or OperationCanceledException)
            {
                // No PONG: the connection is gone or going. A server that resets it (RST at its close deadline)
                // fails the PING's send before the receive loop has recorded the reset: let the loop finish first.
                try
                {
                    await client.Completion.WaitAsync(shape.DropCheckTimeout);
                }
                catch (TimeoutException)
                {
                }
                return client.CloseStatus is not null && !client.ClosedByClient;
            }
        }
    }
}
