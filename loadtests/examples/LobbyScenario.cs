using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;
using ChatLoad.LoadEngine;
using Microsoft.Extensions.Logging;

namespace MyScenarios;

/// <summary>
/// <c>lobby</c>: everyone is in one channel. Half the clients lurk (they only read), a few shout (a message every
/// 200 ms each), the rest talk (one every 2 s each), and one visitor keeps joining and leaving. Every message is
/// tracked: each member counts what it got, so loss, order and end-to-end latency come out per receiver.
/// </summary>
/// <remarks>
/// A closed model where each copy is one virtual user with a role chosen by its instance number: copy 0 is the
/// visitor, the next ones the shouters, then the talkers. Lurkers are connections without a copy: their receive
/// loops feed the <see cref="DeliveryLedger"/>.
/// </remarks>
public static class LobbyScenario
{
    public const string Name = "lobby";

    /// <summary>How long after the load stops messages still in flight may arrive before they count as lost.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(3);

    public static ScenarioFactory Factory { get; } = new(Name,
        "half the clients lurk, a few shout, the rest talk, one joins and leaves; e2e latency, loss, order (--clients 20)", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var server = IrcLoadClientOptions.ParseEndPoint(settings.Target ?? "127.0.0.1:6667");
        int clients = settings.Clients ?? 20;
        if (clients < 4) throw new ArgumentException("--clients: the lobby needs at least 4 (lurkers, a shouter, a talker)");
        int shouters = Math.Max(1, clients / 10);
        int talkers = clients - clients / 2 - shouters;
        var duration = settings.Duration ?? TimeSpan.FromSeconds(20);
        var lobby = new Lobby(server, clients, shouters);

        return Scenario.Create(Name, lobby.ActAsync)
            .WithInit(lobby.OpenAsync)
            .WithClean(lobby.CloseAsync)
            .WithoutWarmUp()
            .WithLoadSimulations(Simulation.KeepConstant(copies: 1 + shouters + talkers, during: duration))
            .WithThresholds(
                Threshold.Create($"counter:{ChatMetricNames.Lost} == 0"),
                Threshold.Create($"counter:{ChatMetricNames.OutOfOrder} == 0"),
                Threshold.Create($"counter:{ChatMetricNames.Duplicates} == 0"),
                Threshold.Create("fail% == 0"),
                // A generous ceiling that holds on a loaded 2-core machine; tighten it for the server you test.
                Threshold.Create("join", "p99 < 5s"))
            .WithDescription(Factory.Description);
    }

    private sealed class Lobby(System.Net.IPEndPoint server, int clients, int shouters)
    {
        private static readonly TimeSpan ShoutEvery = TimeSpan.FromMilliseconds(200);
        private static readonly TimeSpan TalkEvery = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan VisitorStays = TimeSpan.FromMilliseconds(500);

        private readonly string _prefix = "u" + Guid.NewGuid().ToString("N")[..5];
        private readonly MetricCounter _visits = Metric.CreateCounter("visits", unitOfMeasure: "visits");
        private readonly ClientPool<IrcLoadClient> _speakers = new();
        private string Channel => "#lobby-" + _prefix;
        private DeliveryLedger _ledger = null!;
        private ClientFleet _fleet = null!;
        private IrcLoadClient _visitor = null!;

        public async Task OpenAsync(ScenarioInitContext context)
        {
            context.RegisterMetric(_visits);
            _ledger = new DeliveryLedger(context.Metrics, context.Time, receiverCount: clients);
            var options = new IrcLoadClientOptions { Server = server, Time = context.Time, Observer = _ledger };
            _fleet = await ClientFleet.OpenAsync(clients, i => new IrcLoadClient(i, $"{_prefix}{i}", options),
                async (client, ct) =>
                {
                    await client.ConnectAsync(ct);
                    await client.RegisterAsync(ct);
                    await client.JoinAsync(Channel, ct);
                },
                new ConnectPacing(), context.Time, context.CancellationToken);
            if (_fleet.Ready.Count < clients)
            {
                await ClientFleet.QuitAllAsync(_fleet.Ready, TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"only {_fleet.Ready.Count} of {clients} clients joined {Channel} on {server}: " +
                                                    string.Join(", ", _fleet.Failures.Select(f => $"{f.Key} {f.Value}")));
            }

            // Ids 0..shouters-1 shout, the next ones talk; the rest of the fleet only reads.
            foreach (var client in _fleet.Ready.Take(clients - clients / 2)) _speakers.AddClient(client);
            // The visitor's id is outside the ledger's receivers: what it sees while passing through is not counted.
            _visitor = new IrcLoadClient(clients, $"{_prefix}v", options);
            await _visitor.ConnectAsync(context.CancellationToken);
            await _visitor.RegisterAsync(context.CancellationToken);
            context.Logger.LogInformation("{Clients} clients in {Channel}: {Shouters} shouting, {Lurkers} lurking, one visitor",
                clients, Channel, shouters, clients / 2);
            context.Notes.Add($"{clients} clients in one channel: {shouters} shout, {clients - clients / 2 - shouters} talk, {clients / 2} lurk; one visitor joins and leaves");
        }

        public async ValueTask<Response> ActAsync(ScenarioContext context)
        {
            var stop = context.ScenarioCancellationToken;
            int copy = context.ScenarioInfo.InstanceNumber;
            try
            {
                if (copy == 0)
                {
                    await Step.Run("join", context, async () => { await _visitor.JoinAsync(Channel, stop); return Response.Ok(); });
                    await Task.Delay(VisitorStays, context.Time, stop);
                    await Step.Run("part", context, async () => { await _visitor.PartAsync(Channel, stop); return Response.Ok(); });
                    _visits.Add();
                    await Task.Delay(VisitorStays, context.Time, stop);
                    return Response.Ok();
                }

                // Copies 1.. take the speakers in order: the first ones are the shouters.
                var speaker = _speakers.GetClient(copy - 1);
                bool shouter = speaker.Id < shouters;
                var sent = await Step.Run(shouter ? "shout" : "talk", context, async () =>
                {
                    int bytes = await speaker.SendChatMessageAsync(Channel, paddingBytes: shouter ? 16 : 64, stop);
                    _ledger.RecordSent(clients - 1); // every other member should get it once
                    return Response.Ok(bytesSent: bytes);
                });
                await Task.Delay(shouter ? ShoutEvery : TalkEvery, context.Time, stop);
                return sent;
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
        }

        public async Task CloseAsync(ScenarioInitContext context)
        {
            long lost = await _ledger.SettleLossAsync(Drain, CancellationToken.None);
            context.Notes.Add($"messages: {_ledger.Expected} expected, {_ledger.Delivered} delivered, {lost} lost, " +
                              $"{_ledger.OutOfOrder} out of order, {_ledger.Duplicates} duplicates; {_visits.Value} visits");
            await ClientFleet.QuitAllAsync([.. _fleet.Ready, _visitor], TimeSpan.FromSeconds(5));
        }
    }
}
