using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>ping-pong</c>: closed model; each of N clients sends <c>PING &lt;n&gt;</c> and waits for the matching PONG, then
/// the next, as fast as the server answers. The iteration latency is the round trip; each PONG is also tracked
/// (expected, delivered, order) so a lost or repeated reply shows.
/// </summary>
internal static class PingPongScenario
{
    public const string Name = "ping-pong";

    /// <summary>How long a copy whose client is gone waits before its next (failing) iteration, so a dead client
    /// produces a steady trickle of failures rather than a busy loop.</summary>
    private static readonly TimeSpan DeadClientBackoff = TimeSpan.FromMilliseconds(100);

    public static ScenarioFactory Factory { get; } = new(Name,
        "closed model: each of --clients clients sends PING and waits for PONG, as fast as the server answers", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, CommonChatOptions.Keys);
        var common = CommonChatOptions.Read(settings, reader);
        int clients = ChatLoadShapes.AtLeast(settings.Clients, 50, 1, "--clients");
        var run = new PingPongRun(new ChatRun(Name, common) { TrackPongs = true }, clients);
        var duration = ChatLoadShapes.Positive(settings.Duration, TimeSpan.FromSeconds(20), "--duration");
        return Scenario.Create(Name, run.PingOnceAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.Rig.EndAsync)
            .WithLoadSimulations(Simulation.KeepConstant(clients, duration))
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithThresholds(common.LossThresholds ? ChatLoadShapes.NoLossNoDisorder() : [])
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom);
    }

    private sealed class PingPongRun(ChatRun rig, int clients)
    {
        private long[] _nextSequence = [];

        public ChatRun Rig { get; } = rig;

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            Rig.CreateLedger(clients);
            _nextSequence = new long[clients];
            await Rig.OpenFleetAsync(context, clients, async (client, ct) =>
            {
                await client.ConnectAsync(ct);
                await client.RegisterAsync(ct);
            });
        }

        public async ValueTask<Response> PingOnceAsync(ScenarioContext context)
        {
            // One client per copy: the closed model keeps exactly one PING in flight per client.
            int index = context.ScenarioInfo.InstanceNumber % clients;
            var client = Rig.Fleet!.Clients[index];
            if (client is null || !client.IsConnected)
            {
                await Task.Delay(DeadClientBackoff, context.Time, CancellationToken.None);
                return Response.Fail(client?.CloseStatus ?? "not connected", $"client {index} has no connection");
            }
            long sequence = _nextSequence[index]++;
            try
            {
                await client.PingAsync(sequence, context.ScenarioCancellationToken, () => Rig.Ledger!.RecordSent(1));
                return Response.Ok(sizeBytes: 0, bytesSent: 0);
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
        }
    }
}
