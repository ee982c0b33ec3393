using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>room-chat</c>: N clients in channels of K members; messages are sent at R per second in total (open model,
/// senders in turn, interleaved over the rooms: <see cref="RoomLayout.InSendingOrder"/>), and every other member of
/// the sender's channel should get each one. Measures end-to-end latency to each receiver, deliveries per second,
/// loss and per-sender order.
/// </summary>
internal static class RoomChatScenario
{
    public const string Name = "room-chat";
    private static readonly string[] Keys = [.. CommonChatOptions.Keys, "room-size", "padding"];

    public static ScenarioFactory Factory { get; } = new(Name,
        "clients in channels of room-size members send --rate messages/s in total; e2e latency, deliveries, loss, order " +
        "(--set room-size=10 padding=64)", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, Keys);
        var common = CommonChatOptions.Read(settings, reader);
        var run = new RoomChatRun(
            new ChatRun(Name, common),
            clients: ChatLoadShapes.AtLeast(settings.Clients, 100, 2, "--clients"),
            roomSize: reader.Int("room-size", 10, 2, 100_000),
            paddingBytes: reader.Int("padding", 64, 0, ChatPayload.MaxPaddingBytes));
        double rate = settings.Rate ?? 200;
        var duration = ChatLoadShapes.Positive(settings.Duration, TimeSpan.FromSeconds(20), "--duration");
        return Scenario.Create(Name, run.SendOneAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.Rig.EndAsync)
            .WithLoadSimulations(ChatLoadShapes.InjectPerSecond(rate, duration))
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithThresholds(common.LossThresholds ? ChatLoadShapes.NoLossNoDisorder() : [])
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom)
            .WithDeclaredMetrics(ChatScenarioMetrics.Declared)
            .WithHeadlineLatency(ChatMetricNames.EndToEndLatency);
    }

    private sealed class RoomChatRun(ChatRun rig, int clients, int roomSize, int paddingBytes)
    {
        public ChatRun Rig { get; } = rig;

        private RoomLayout _layout = null!;
        private IrcLoadClient[] _senders = [];
        private int[] _recipients = [];

        /// <summary>
        /// In a cluster run the rooms are the cluster's: client ids run over every agent's clients (each agent opens
        /// its own, <see cref="ClusterShare.OwnedClients"/>, which take turns so that every room has members on every
        /// agent), channel names are the same everywhere, and after setup the agents swap which clients made it, so
        /// each sender expects exactly the members that are really there, wherever they run.
        /// </summary>
        public async Task InitAsync(ScenarioInitContext context)
        {
            var cluster = context.Cluster;
            await Rig.BeginAsync(context, clusterLayout: true);
            int total = cluster?.TotalClients ?? clients;
            if (total < 2)
                throw await Rig.FailInitAsync("a cluster run needs --clients (at least 2): the agents split it and lay the rooms out over all of them");
            _layout = new RoomLayout(Rig.Prefix, total, roomSize);
            var ledger = Rig.CreateLedger(total);
            if (cluster is not null) ledger.JoinCluster(cluster);
            var fleet = await Rig.OpenFleetAsync(context, cluster?.OwnedClients ?? Enumerable.Range(0, clients).ToArray(), async (client, ct) =>
            {
                await client.ConnectAsync(ct);
                await client.RegisterAsync(ct);
                await client.JoinAsync(_layout.ChannelOf(client.Id), ct);
            });
            var ready = new bool[total];
            foreach (var client in fleet.Ready) ready[client.Id] = true;
            if (cluster is not null)
            {
                ready = await ReadyAcrossAgentsAsync(cluster, ready, context.CancellationToken);
                Rig.Reconciliation = new ClusterReconciliation(
                    () => _senders.Select(s => (s.Id, s.SentMessages)).ToArray(),
                    () => fleet.Ready.Select(c => c.Id),
                    receiver => _layout.Members(_layout.RoomOf(receiver)).Where(m => m != receiver));
                context.Properties["clients (cluster)"] = total.ToString();
            }
            _senders = _layout.InSendingOrder(fleet.Ready, c => c.Id).ToArray();
            _recipients = ExpectedRecipients(_layout, i => ready[i]);
            context.Properties["rooms"] = _layout.RoomCount.ToString();
            context.Properties["room size"] = roomSize.ToString();
            context.Notes.Add($"{_layout.RoomCount} channels of up to {roomSize} members; {paddingBytes} bytes of padding per message");
        }

        public async ValueTask<Response> SendOneAsync(ScenarioContext context)
        {
            var sender = _senders[(int)(context.InvocationNumber % _senders.Length)];
            try
            {
                int bytes = await sender.SendChatMessageAsync(_layout.ChannelOf(sender.Id), paddingBytes, context.ScenarioCancellationToken);
                Rig.Ledger!.RecordSent(_recipients[sender.Id]);
                return Response.Ok(bytesSent: bytes);
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
        }
    }

    /// <summary>Which of the cluster's clients are set up, from every agent's own list (a bitmap each, OR-ed).</summary>
    private static async Task<bool[]> ReadyAcrossAgentsAsync(ClusterShare cluster, bool[] mine, CancellationToken cancellationToken)
    {
        var bits = new System.Collections.BitArray(mine);
        var bytes = new byte[(mine.Length + 7) / 8];
        bits.CopyTo(bytes, 0);
        var all = await cluster.AllGatherAsync("clients ready", bytes, cancellationToken);
        var ready = new bool[mine.Length];
        foreach (var part in all)
        {
            if (part.Length == 0) continue;
            var theirs = new System.Collections.BitArray(part.ToArray());
            for (int i = 0; i < ready.Length && i < theirs.Length; i++) ready[i] |= theirs[i];
        }
        return ready;
    }

    /// <summary>For each client: the members of its channel, other than itself, that are set up and tracked.</summary>
    internal static int[] ExpectedRecipients(RoomLayout layout, ClientFleet fleet, Func<int, bool>? isTracked = null) =>
        ExpectedRecipients(layout, i => fleet.Clients[i] is not null, isTracked);

    /// <summary>As above, with which clients are set up given by <paramref name="isReady"/> (a cluster's, over every agent).</summary>
    internal static int[] ExpectedRecipients(RoomLayout layout, Func<int, bool> isReady, Func<int, bool>? isTracked = null)
    {
        var recipients = new int[layout.Clients];
        for (int room = 0; room < layout.RoomCount; room++)
        {
            var members = layout.Members(room).Where(isReady).ToArray();
            int tracked = members.Count(i => isTracked?.Invoke(i) ?? true);
            foreach (int m in members)
                recipients[m] = tracked - ((isTracked?.Invoke(m) ?? true) ? 1 : 0);
        }
        return recipients;
    }
}
