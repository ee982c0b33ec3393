using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;
using ChatLoad.LoadClient.Tracking;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>
/// <c>churn</c>: sessions start, chat briefly and end, continuously (closed model, --clients sessions at once).
/// A session is two fresh clients that connect, register and join a channel of their own; one sends a few
/// tracked messages that the other must receive, then both QUIT and the server must close them. Any step that
/// fails fails the session, by reason; the server's registered-client count after clean-up shows leaked sessions.
/// </summary>
internal static class ChurnScenario
{
    public const string Name = "churn";
    private static readonly string[] Keys = [.. CommonChatOptions.Keys, "messages", "padding"];

    public static ScenarioFactory Factory { get; } = new(Name,
        "sessions of two clients connect, join, exchange --set messages=3, quit, continuously (--clients sessions at once); " +
        "failed sessions by reason", Create);

    public static ScenarioProps Create(ScenarioSettings settings)
    {
        var reader = new ScenarioOptionsReader(Name, settings.Custom, Keys);
        var common = CommonChatOptions.Read(settings, reader);
        int concurrent = ChatLoadShapes.AtLeast(settings.Clients, 10, 1, "--clients");
        var run = new ChurnRun(new ChatRun(Name, common), reader.Int("messages", 3, 1, 1000), reader.Int("padding", 32, 0, ChatPayload.MaxPaddingBytes));
        var duration = ChatLoadShapes.Positive(settings.Duration, TimeSpan.FromSeconds(20), "--duration");
        return Scenario.Create(Name, run.SessionAsync)
            .WithInit(run.InitAsync)
            .WithClean(run.Rig.EndAsync)
            .WithLoadSimulations(Simulation.KeepConstant(concurrent, duration))
            .WithWarmUpDuration(settings.WarmUp ?? TimeSpan.Zero)
            .WithThresholds(common.LossThresholds ? ChatLoadShapes.NoLossNoDisorder() : [])
            .WithDescription(Factory.Description)
            .WithCustomSettings(settings.Custom);
    }

    private sealed class ChurnRun(ChatRun rig, int messages, int paddingBytes)
    {
        private IrcLoadClientOptions _options = null!;
        private int _sessions;

        public ChatRun Rig { get; } = rig;

        public async Task InitAsync(ScenarioInitContext context)
        {
            await Rig.BeginAsync(context);
            Rig.CreateLedger(0); // sessions carry their own trackers (client.Tag)
            _options = Rig.ClientOptions();
            context.Notes.Add($"each session: 2 clients, {messages} messages of {paddingBytes} bytes padding, then QUIT");
        }

        public async ValueTask<Response> SessionAsync(ScenarioContext context)
        {
            int session = Interlocked.Increment(ref _sessions);
            var ct = context.ScenarioCancellationToken;
            var sender = new IrcLoadClient(2 * session, $"{Rig.Prefix}s{session}a", _options) { Tag = new SenderSequenceTracker() };
            var inbox = new SessionInbox(messages);
            var receiver = new IrcLoadClient(2 * session + 1, $"{Rig.Prefix}s{session}b", _options) { Tag = inbox.Tracker };
            Rig.Adopt(sender);
            Rig.Adopt(receiver);
            try
            {
                var step = await Step.Run("connect", context, () => Guard(async () =>
                {
                    await Task.WhenAll(ConnectAsync(sender, ct), ConnectAsync(receiver, ct));
                }));
                if (step.IsError) return step;

                string channel = $"#{Rig.Prefix}-s{session}";
                step = await Step.Run("join", context, () => Guard(() => Task.WhenAll(sender.JoinAsync(channel, ct), receiver.JoinAsync(channel, ct))));
                if (step.IsError) return step;

                step = await Step.Run("chat", context, () => Guard(async () =>
                {
                    for (int i = 0; i < messages; i++)
                    {
                        await sender.SendChatMessageAsync(channel, paddingBytes, ct);
                        Rig.Ledger!.RecordSent(1);
                    }
                    await inbox.AllArrived.WaitAsync(Rig.Common.ResponseTimeout, context.Time, ct);
                }));
                if (step.IsError) return step;

                step = await Step.Run("quit", context, async () =>
                {
                    var quits = await Task.WhenAll(sender.QuitAsync("churn"), receiver.QuitAsync("churn"));
                    return quits.All(q => q) ? Response.Ok() : Response.Fail("quit not closed", "the server did not close the connection after QUIT in time");
                });
                return step;
            }
            finally
            {
                // Whatever happened, the session's sockets are closed before the next one starts.
                await Task.WhenAll(sender.DisposeAsync().AsTask(), receiver.DisposeAsync().AsTask());
                Rig.Release(sender);
                Rig.Release(receiver);
            }
        }

        private async Task ConnectAsync(IrcLoadClient client, CancellationToken ct)
        {
            await client.ConnectAsync(ct);
            await client.RegisterAsync(ct);
            Rig.ClientOpened(client);
        }

        private static async ValueTask<Response> Guard(Func<Task> action)
        {
            try
            {
                await action();
                return Response.Ok();
            }
            catch (LoadClientException e)
            {
                return Response.Fail(e.Status, e.Message);
            }
            catch (TimeoutException e)
            {
                return Response.Fail(FailureReasons.Timeout, "not every message of the session arrived in time: " + e.Message);
            }
        }
    }

    /// <summary>The receiving side of one session: its tracker, and a task that completes once all messages arrived.</summary>
    private sealed class SessionInbox
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SessionInbox(int expected)
        {
            Tracker = new SenderSequenceTracker
            {
                OnAccepted = t =>
                {
                    if (t.Accepted >= expected)
                        _all.TrySetResult();
                },
            };
        }

        public SenderSequenceTracker Tracker { get; }
        public Task AllArrived => _all.Task;
    }
}
