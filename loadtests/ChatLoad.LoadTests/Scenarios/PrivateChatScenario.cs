using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>private-chat</c>: clients in pairs (0 with 1, 2 with 3 ...) send each other PRIVMSG at R messages per second
/// in total (open model). Measures end-to-end latency, loss and order of private messages.
/// </summary>
internal static class PrivateChatScenario
{
    public const string Name = "private-chat";
    private static readonly string[] Keys = [.. CommonChatOptions.Keys, "padding"];

    public static ScenarioFactory Factory { get; } = new(Name,
        "clients in pairs exchange PRIVMSG at --rate messages/s in total; e2e latency, loss, order (--set padding=64)", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, Keys);
        var common = CommonChatOptions.Read(settings, reader);
        // An odd count (e.g. a shard's share) leaves the last client without a partner: it connects but does not chat.
        int clients = ChatLoadShapes.AtLeast(settings.Clients, 100, 2, "--clients");
        var run = new PrivateChatRun(new ChatRun(Name, common), clients, reader.Int("padding", 64, 0, ChatPayload.MaxPaddingBytes));
        var duration = ChatLoadShapes.Positive(settings.Duration, TimeSpan.FromSeconds(20), "--duration");
        return Scenario.Create(Name, run.SendOneAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.Rig.EndAsync)
            .WithLoadSimulations(ChatLoadShapes.InjectPerSecond(settings.Rate ?? 200, duration))
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithThresholds(common.LossThresholds ? ChatLoadShapes.NoLossNoDisorder() : [])
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom);
    }

    private sealed class PrivateChatRun(ChatRun rig, int clients, int paddingBytes)
    {
        private IrcLoadClient[] _senders = [];

        public ChatRun Rig { get; } = rig;

        public static int PartnerOf(int client) => client ^ 1;

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            Rig.CreateLedger(clients);
            var fleet = await Rig.OpenFleetAsync(context, clients, async (client, ct) =>
            {
                await client.ConnectAsync(ct);
                await client.RegisterAsync(ct);
            });
            // Only pairs where both sides are up chat: a message to a partner that never connected is not a loss.
            _senders = fleet.Ready.Where(c => PartnerOf(c.Id) < clients && fleet.Clients[PartnerOf(c.Id)] is not null).ToArray();
            if (_senders.Length == 0)
                throw await Rig.FailInitAsync("no pair of clients has both sides connected");
            context.Properties["pairs"] = (_senders.Length / 2).ToString();
            context.Notes.Add($"{_senders.Length / 2} pairs chatting, {paddingBytes} bytes of padding per message");
        }

        public async ValueTask<Response> SendOneAsync(ScenarioContext context)
        {
            var sender = _senders[(int)(context.InvocationNumber % _senders.Length)];
            try
            {
                int bytes = await sender.SendChatMessageAsync(Rig.NickFor(PartnerOf(sender.Id)), paddingBytes, context.ScenarioCancellationToken);
                Rig.Ledger!.RecordSent(1);
                return Response.Ok(bytesSent: bytes);
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
        }
    }
}
