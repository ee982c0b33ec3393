using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>connect-storm</c>: opens --clients connections at --rate per second (open model, one connection per iteration)
/// and registers each; the iteration latency is connect + register, with steps "connect" and "register" apart, and
/// failures grouped by reason (refused, timeout, server full, reset ...). The clients stay connected for a short
/// hold so the server's threads and memory at full count are sampled, then quit.
/// </summary>
internal static class ConnectStormScenario
{
    public const string Name = "connect-storm";
    private static readonly string[] Keys = [.. CommonChatOptions.Keys, "hold"];

    public static ScenarioFactory Factory { get; } = new(Name,
        "open --clients connections at --rate/s, each registering; connect+register latency and failures by reason " +
        "(--set hold=3s keeps them open at the end)", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, Keys);
        var common = CommonChatOptions.Read(settings, reader);
        int clients = ChatLoadShapes.AtLeast(settings.Clients, 1000, 1, "--clients");
        // --clients decides how many connect; the storm lasts clients / rate. Without --rate, a given --duration sets
        // the rate (clients spread over it); with both, --rate wins and --duration is not used.
        double rate = settings.Rate ?? (settings.Duration is { TotalSeconds: > 0 } d ? clients / d.TotalSeconds : 200);
        if (!(rate > 0) || !double.IsFinite(rate))
            throw new ArgumentException($"{Name}: --rate must be positive, got {rate}");
        var storm = TimeSpan.FromSeconds(clients / rate);
        var hold = reader.Duration("hold", TimeSpan.FromSeconds(3), TimeSpan.Zero, TimeSpan.FromHours(1));
        var run = new ConnectStormRun(new ChatRun(Name, common), clients);
        var simulations = new List<LoadSimulation> { ChatLoadShapes.InjectPerSecond(rate, storm) };
        if (hold > TimeSpan.Zero)
            simulations.Add(Simulation.Pause(hold));
        return Scenario.Create(Name, run.ConnectOneAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.Rig.EndAsync)
            .WithLoadSimulations([.. simulations])
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom);
    }

    private sealed class ConnectStormRun(ChatRun rig, int clients)
    {
        private IrcLoadClientOptions _options = null!;
        private SourceAddressPlan _sources = SourceAddressPlan.KernelChoice;
        private MetricCounter _failures = null!;
        private int _opened;

        public ChatRun Rig { get; } = rig;

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            _options = Rig.ClientOptions();
            _sources = SourceAddressPlan.For(Rig.Common.Target, clients, Rig.Common.SourceAddresses);
            _failures = context.Metrics.Counter(ChatMetricNames.ConnectFailures);
            context.Properties["clients"] = clients.ToString();
            if (_sources.AddressCount > 1)
                context.Properties["source addresses"] = $"127.0.0.1-127.0.0.{_sources.AddressCount}";
        }

        public async ValueTask<Response> ConnectOneAsync(ScenarioContext context)
        {
            int index = Interlocked.Increment(ref _opened) - 1;
            var client = new IrcLoadClient(index, Rig.NickFor(index), _options, _sources.For(index));
            var connected = await Step.Run("connect", context, async () =>
            {
                try
                {
                    await client.ConnectAsync(context.ScenarioCancellationToken);
                    return Response.Ok();
                }
                catch (LoadClientException e)
                {
                    return Response.Fail(e.Status, e.Message);
                }
            });
            if (connected.IsError)
                return Failed(connected, client);

            var registered = await Step.Run("register", context, async () =>
            {
                try
                {
                    await client.RegisterAsync(context.ScenarioCancellationToken);
                    return Response.Ok();
                }
                catch (LoadClientException e)
                {
                    return Response.Fail(e.Status, e.Message);
                }
            });
            if (registered.IsError)
                return Failed(registered, client);

            Rig.Adopt(client);
            Rig.ClientOpened(client);
            return Response.Ok();
        }

        private Response Failed(Response step, IrcLoadClient client)
        {
            _failures.Add();
            _ = client.DisposeAsync().AsTask();
            return step;
        }
    }
}
