using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Chat.Sessions;

/// <summary>
/// One periodic timer for the whole server (not one per client: 19,000 timers would be 19,000 timer-queue
/// entries to re-arm on every line). Each tick walks the sessions: pings those idle past PingInterval, drops
/// those that left a ping unanswered past PingTimeout, and drops connections that did not register within
/// RegistrationTimeout.
/// </summary>
internal sealed class IdleSweep : IDisposable
{
    /// <summary>Shortest period, so tiny test timeouts do not turn the sweep into a busy loop.</summary>
    public static readonly TimeSpan MinimumPeriod = TimeSpan.FromMilliseconds(100);

    private readonly ChatNetwork _network;
    private readonly ITimer _timer;
    private int _running;

    public IdleSweep(ChatNetwork network)
    {
        _network = network;
        Period = PeriodFor(network.Options);
        _timer = network.Time.CreateTimer(static state => ((IdleSweep)state!).Tick(), this, Period, Period);
        ChatLog.SweepStarted(network.Logger, Period, network.Options.PingInterval, network.Options.PingTimeout, network.Options.RegistrationTimeout);
    }

    public TimeSpan Period { get; }

    /// <summary>A quarter of the shortest timeout: every deadline is enforced at most 25% late.</summary>
    public static TimeSpan PeriodFor(ServerOptions options)
    {
        TimeSpan shortest = TimeSpan.FromTicks(Math.Min(options.PingInterval.Ticks, Math.Min(options.PingTimeout.Ticks, options.RegistrationTimeout.Ticks)));
        TimeSpan period = shortest / 4;
        return period < MinimumPeriod ? MinimumPeriod : period;
    }

    /// <summary>One pass over every session. Public so tests can run it without waiting for the timer.</summary>
    public void Tick()
    {
        // A slow pass (thousands of sessions on a loaded box) must not overlap the next one.
        if (Interlocked.Exchange(ref _running, 1) != 0)
            return;
        try
        {
            long now = _network.Time.GetTimestamp();
            TimeProvider time = _network.Time;
            ServerOptions options = _network.Options;
            using var sessions = _network.Sessions.Snapshot();
            foreach (ClientSession session in sessions.Members)
            {
                switch (session.Liveness.Evaluate(now, session.IsRegistered, options, time))
                {
                    case LivenessVerdict.SendPing:
                        session.Liveness.RecordPingSent(now);
                        session.Send(_network.PingLine);
                        break;
                    case LivenessVerdict.PingTimedOut:
                        session.CloseWith($"Ping timeout: {(int)options.PingTimeout.TotalSeconds} seconds");
                        break;
                    case LivenessVerdict.RegistrationTimedOut:
                        session.CloseWith("Registration timed out");
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            ChatLog.SweepFailed(_network.Logger, ex);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
