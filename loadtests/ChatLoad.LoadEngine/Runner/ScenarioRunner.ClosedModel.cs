namespace ChatLoad.LoadEngine.Runner;

// The closed model: N copies, each running one iteration after another.
internal sealed partial class ScenarioRunner
{
    /// <summary>Decides, before each iteration, whether a copy runs another one.</summary>
    private abstract class CopyControl(bool warmUp, long endTimestamp)
    {
        private volatile bool _stopped;
        public bool WarmUp { get; } = warmUp;
        public void Stop() => _stopped = true;
        protected bool Stopped => _stopped;

        /// <summary>No iteration starts at or after this timestamp, however late the phase's own timer fires.</summary>
        public long EndTimestamp { get; } = endTimestamp;
        public abstract bool TryBeginIteration(int copy);
        public virtual void CopyExited(int copy) { }
    }

    /// <summary>Copies 0..Target-1 run; a copy whose number falls outside a shrinking target finishes and exits.</summary>
    private sealed class TargetCopies(bool warmUp, int capacity, long endTimestamp) : CopyControl(warmUp, endTimestamp)
    {
        private readonly int[] _running = new int[capacity];
        private volatile int _target;

        public int Target { get => _target; set => _target = value; }
        public override bool TryBeginIteration(int copy) => !Stopped && copy < _target;
        public bool TryMarkRunning(int copy) => Interlocked.CompareExchange(ref _running[copy], 1, 0) == 0;
        public override void CopyExited(int copy) => Volatile.Write(ref _running[copy], 0);
    }

    /// <summary>All copies share one budget of iterations.</summary>
    private sealed class SharedIterationBudget(long iterations) : CopyControl(warmUp: false, endTimestamp: long.MaxValue)
    {
        private long _claimed;
        public override bool TryBeginIteration(int copy) => !Stopped && Interlocked.Increment(ref _claimed) <= iterations;
    }

    private async Task RunClosedPhaseAsync(ClosedPhase phase, long phaseStart, bool warmUp, CancellationToken stop)
    {
        var control = new TargetCopies(warmUp, Math.Max(phase.StartCopies, phase.EndCopies), phaseStart + ToTicks(phase.Duration));
        try
        {
            while (true)
            {
                var elapsed = _time.GetElapsedTime(phaseStart);
                double progress = Math.Min(1, elapsed / phase.Duration);
                control.Target = (int)Math.Round(phase.StartCopies + (phase.EndCopies - phase.StartCopies) * progress);
                for (int copy = 0; copy < control.Target; copy++)
                    if (control.TryMarkRunning(copy)) _ = RunCopyAsync(copy, control);
                var rest = phase.Duration - elapsed;
                if (rest <= TimeSpan.Zero) break;
                bool ramping = phase.StartCopies != phase.EndCopies;
                await Task.Delay(ramping && rest > _options.RampStep ? _options.RampStep : rest, _time, stop);
            }
        }
        finally
        {
            control.Stop();
        }
    }

    private async Task RunFixedIterationsPhaseAsync(FixedIterationsPhase phase, CancellationToken stop)
    {
        var control = new SharedIterationBudget(phase.Iterations);
        var copies = Enumerable.Range(0, phase.Copies).Select(copy => RunCopyAsync(copy, control)).ToArray();
        try
        {
            await Task.WhenAll(copies).WaitAsync(phase.Duration, _time, stop);
        }
        catch (TimeoutException)
        {
            _notes.Add($"\"{phase.Description}\" hit its {phase.Duration.TotalSeconds:0.#} s timeout before all iterations ran");
        }
        finally
        {
            control.Stop();
        }
    }

    private async Task RunCopyAsync(int copy, CopyControl control)
    {
        await Task.Yield(); // off the controller's thread: copies run in parallel from the start
        var context = NewContext(copy);
        context.IsWarmUp = control.WarmUp;
        int synchronousInARow = 0;
        try
        {
            while (control.TryBeginIteration(copy) && !_stopIterations.IsCancellationRequested)
            {
                long now = _time.GetTimestamp();
                if (now >= control.EndTimestamp) break;
                var iteration = _executor.RunAsync(context, now);
                if (!iteration.IsCompletedSuccessfully)
                {
                    synchronousInARow = 0;
                    await iteration.ConfigureAwait(false);
                }
                else if (++synchronousInARow >= _options.SyncIterationsBeforeYield)
                {
                    synchronousInARow = 0;
                    await Task.Yield();
                }
            }
        }
        finally
        {
            control.CopyExited(copy);
        }
    }
}
