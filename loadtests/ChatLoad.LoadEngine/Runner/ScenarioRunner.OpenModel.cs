namespace ChatLoad.LoadEngine.Runner;

// The open-model scheduler: iterations start on schedule whether or not earlier ones have finished.
internal sealed partial class ScenarioRunner
{
    /// <summary>The scheduler never sleeps less than this: shorter timers only burn CPU, and each wake-up launches
    /// everything that fell due meanwhile (each with its own scheduled timestamp, so latency stays honest).</summary>
    private static readonly TimeSpan MinSchedulerSleep = TimeSpan.FromMilliseconds(1);

    /// <summary>Where an open phase stands: its schedule and how many iterations it has launched.</summary>
    private sealed class OpenSchedule(InjectSchedule schedule, long phaseStart, long inFlightCap, long lateToleranceTicks, bool warmUp)
    {
        public InjectSchedule Schedule { get; } = schedule;
        public long PhaseStart { get; } = phaseStart;
        public long InFlightCap { get; } = inFlightCap;
        public long LateToleranceTicks { get; } = lateToleranceTicks;
        public bool WarmUp { get; } = warmUp;
        public long Launched { get; set; }
    }

    private async Task RunOpenPhaseAsync(OpenPhase phase, long phaseStart, bool warmUp, CancellationToken stop)
    {
        var state = new OpenSchedule(new InjectSchedule(phase.StartRate, phase.EndRate, phase.Duration), phaseStart,
            _options.InFlightCapFor(Math.Max(phase.StartRate, phase.EndRate)),
            (long)(_options.LateTolerance.TotalSeconds * _time.TimestampFrequency), warmUp);

        if (_time == TimeProvider.System) await RunSchedulerThreadAsync(state, stop);
        else
        {
            // Injected (fake) time: the same loop on timers of that clock, so tests control every wake-up.
            while (LaunchDueIterations(state) is { } untilNext)
                await Task.Delay(untilNext > MinSchedulerSleep ? untilNext : MinSchedulerSleep, _time, stop);
        }

        // The last iteration is due before the phase ends; the phase still lasts its full duration.
        await DelayUntilAsync(phaseStart + ToTicks(phase.Duration), stop);
    }

    /// <summary>On the real clock the scheduler gets a thread of its own: a timer continuation would wait in the
    /// thread-pool queue behind the iterations' own work, and the schedule would slip because the generator is
    /// busy, which is exactly what an open model must not do.</summary>
    private Task RunSchedulerThreadAsync(OpenSchedule state, CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                while (LaunchDueIterations(state) is { } untilNext)
                {
                    if (stop.WaitHandle.WaitOne(untilNext > MinSchedulerSleep ? untilNext : MinSchedulerSleep))
                        throw new OperationCanceledException(stop);
                }
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"scheduler {_scenario.Name}",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Launches every iteration due by now; returns how long until the next one is due, or null when the
    /// phase has launched all its iterations.</summary>
    private TimeSpan? LaunchDueIterations(OpenSchedule state)
    {
        var schedule = state.Schedule;
        long due = schedule.DueBy(_time.GetElapsedTime(state.PhaseStart));
        for (long k = state.Launched; k < due; k++)
        {
            long scheduled = state.PhaseStart + ToTicks(schedule.OffsetOf(k));
            if (_executor.InFlight >= state.InFlightCap)
            {
                // A dead or very slow target: keep memory bounded and say how much load was not applied.
                if (!state.WarmUp) Stats.CountDropped();
                continue;
            }
            if (!state.WarmUp && _time.GetTimestamp() - scheduled > state.LateToleranceTicks) Stats.CountLate();
            _ = RunScheduledIterationAsync(scheduled, state.WarmUp);
        }
        state.Launched = Math.Max(state.Launched, due);
        if (state.Launched >= schedule.TotalIterations) return null;
        return schedule.OffsetOf(state.Launched) - _time.GetElapsedTime(state.PhaseStart);
    }

    private long ToTicks(TimeSpan offset) => (long)(offset.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Runs one scheduled iteration on a pooled context. The first part of the iteration runs inline on the
    /// scheduler (no work item per iteration); once it awaits, the scheduler moves on.</summary>
    private async ValueTask RunScheduledIterationAsync(long scheduledTimestamp, bool warmUp)
    {
        var context = RentContext(warmUp);
        try
        {
            await _executor.RunAsync(context, scheduledTimestamp).ConfigureAwait(false);
        }
        finally
        {
            ReturnContext(context);
        }
    }
}
