namespace ChatLoad.LoadEngine.Runner;

// The open-model scheduler: iterations start on schedule whether or not earlier ones have finished.
internal sealed partial class ScenarioRunner
{
    /// <summary>The scheduler never sleeps less than this: shorter timers only burn CPU, and the batch logic below
    /// catches up on everything that fell due meanwhile (each with its own scheduled timestamp).</summary>
    private static readonly TimeSpan MinSchedulerSleep = TimeSpan.FromMilliseconds(1);

    private async Task RunOpenPhaseAsync(OpenPhase phase, long phaseStart, bool warmUp, CancellationToken stop)
    {
        var schedule = new InjectSchedule(phase.StartRate, phase.EndRate, phase.Duration);
        long inFlightCap = _options.InFlightCapFor(Math.Max(phase.StartRate, phase.EndRate));
        long lateToleranceTicks = (long)(_options.LateTolerance.TotalSeconds * _time.TimestampFrequency);
        long launched = 0;

        while (launched < schedule.TotalIterations)
        {
            stop.ThrowIfCancellationRequested();
            long due = schedule.DueBy(_time.GetElapsedTime(phaseStart));
            for (; launched < due; launched++)
            {
                long scheduled = phaseStart + ToTicks(schedule.OffsetOf(launched));
                if (_executor.InFlight >= inFlightCap)
                {
                    // A dead or very slow target: keep memory bounded and say how much load was not applied.
                    if (!warmUp) Stats.CountDropped();
                    continue;
                }
                if (!warmUp && _time.GetTimestamp() - scheduled > lateToleranceTicks) Stats.CountLate();
                _ = RunScheduledIterationAsync(scheduled, warmUp);
            }
            if (launched >= schedule.TotalIterations) break;

            var untilNext = schedule.OffsetOf(launched) - _time.GetElapsedTime(phaseStart);
            await Task.Delay(untilNext > MinSchedulerSleep ? untilNext : MinSchedulerSleep, _time, stop);
        }

        // The last iteration is due before the phase ends; the phase still lasts its full duration.
        await DelayUntilAsync(phaseStart + ToTicks(phase.Duration), stop);
    }

    private long ToTicks(TimeSpan offset) => (long)(offset.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Runs one scheduled iteration on a pooled context. The first part of the iteration runs inline on the
    /// scheduler (no work-item per iteration); once it awaits, the scheduler moves on.</summary>
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
