using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>idle-hold</c> (the "C10K" case): N registered clients sit in channels for the run's duration while a sample
/// of them is PINGed (--rate PINGs/s in total, open model) to see whether a server holding many idle connections
/// still answers promptly. The server's threads and memory per client are recorded at the end.
/// </summary>
internal static class IdleHoldScenario
{
    public const string Name = "idle-hold";
    private static readonly string[] Keys = [.. CommonChatOptions.Keys, "room-size"];

    public static ScenarioFactory Factory { get; } = new(Name,
        "--clients registered clients in channels hold for --duration; PING round trips sampled at --rate/s; " +
        "server threads and RSS per client (--set room-size=10)", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, Keys);
        var common = CommonChatOptions.Read(settings, reader);
        var run = new IdleHoldRun(new ChatRun(Name, common),
            ChatLoadShapes.AtLeast(settings.Clients, 1000, 1, "--clients"),
            reader.Int("room-size", 10, 1, 100_000));
        var duration = ChatLoadShapes.Positive(settings.Duration, TimeSpan.FromSeconds(30), "--duration");
        return Scenario.Create(Name, run.PingOneAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.Rig.EndAsync)
            .WithLoadSimulations(ChatLoadShapes.InjectPerSecond(settings.Rate ?? 10, duration))
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithThresholds(Threshold.Create($"counter:{ChatMetricNames.UnexpectedDisconnects} == 0"))
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom);
    }

    private sealed class IdleHoldRun(ChatRun rig, int clients, int roomSize)
    {
        private IrcLoadClient[] _held = [];
        private long _pings;

        public ChatRun Rig { get; } = rig;

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            var layout = new RoomLayout(Rig.Prefix, clients, roomSize);
            var fleet = await Rig.OpenFleetAsync(context, clients, async (client, ct) =>
            {
                await client.ConnectAsync(ct);
                await client.RegisterAsync(ct);
                await client.JoinAsync(layout.ChannelOf(client.Id), ct);
            });
            _held = fleet.Ready.ToArray();
            context.Properties["rooms"] = layout.RoomCount.ToString();
            context.Notes.Add($"{_held.Length} clients held in {layout.RoomCount} channels of up to {roomSize}");
        }

        public async ValueTask<Response> PingOneAsync(ScenarioContext context)
        {
            // Clients in turn: at the default 10/s a client is pinged once every clients/10 seconds, never twice at once
            // unless a round trip takes that long (then "busy" says so).
            var client = _held[(int)(context.InvocationNumber % _held.Length)];
            try
            {
                await client.PingAsync(Interlocked.Increment(ref _pings), context.ScenarioCancellationToken);
                return Response.Ok();
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
        }
    }
}
