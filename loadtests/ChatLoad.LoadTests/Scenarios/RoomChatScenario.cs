using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>room-chat</c>: N clients in channels of K members; messages are sent at R per second in total (open model,
/// senders in turn), and every other member of the sender's channel should get each one. Measures end-to-end
/// latency to each receiver, deliveries per second, loss and per-sender order.
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
            .WithCustomSettings(settings.Custom);
    }

    private sealed class RoomChatRun(ChatRun rig, int clients, int roomSize, int paddingBytes)
    {
        public ChatRun Rig { get; } = rig;

        private RoomLayout _layout = null!;
        private IrcLoadClient[] _senders = [];
        private int[] _recipients = [];

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            _layout = new RoomLayout(Rig.Prefix, clients, roomSize);
            Rig.CreateLedger(clients);
            var fleet = await Rig.OpenFleetAsync(context, clients, async (client, ct) =>
            {
                await client.ConnectAsync(ct);
                await client.RegisterAsync(ct);
                await client.JoinAsync(_layout.ChannelOf(client.Id), ct);
            });
            _senders = fleet.Ready.ToArray();
            _recipients = ExpectedRecipients(_layout, fleet);
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

    /// <summary>For each client: the members of its channel, other than itself, that are set up and tracked.</summary>
    internal static int[] ExpectedRecipients(RoomLayout layout, ClientFleet fleet, Func<int, bool>? isTracked = null)
    {
        var recipients = new int[layout.Clients];
        for (int room = 0; room < layout.RoomCount; room++)
        {
            var members = layout.Members(room).Where(i => fleet.Clients[i] is not null).ToArray();
            int tracked = members.Count(i => isTracked?.Invoke(i) ?? true);
            foreach (int m in members)
                recipients[m] = tracked - ((isTracked?.Invoke(m) ?? true) ? 1 : 0);
        }
        return recipients;
    }
}
