namespace ChatLoad.LoadEngine.Runner;

// The closed model: N copies, each running one iteration after another.
internal sealed partial class ScenarioRunner
{
    /// <summary>Decides, before each iteration, whether a copy runs another one.</summary>
    private abstract class CopyControl(bool warmUp, long endTimestamp)
    {
        private volatile bool _stopped, _warmUp = warmUp;
        private long _endTimestamp = endTimestamp;

        /// <summary>Read by each copy before each iteration, so copies carried from the warm-up into the measured
        /// part start counting at the boundary.</summary>
        public bool WarmUp { get => _warmUp; set => _warmUp = value; }
        public void Stop() => _stopped = true;
        protected bool Stopped => _stopped;

        /// <summary>No iteration starts at or after this timestamp, however late the phase's own timer fires.</summary>
        public long EndTimestamp { get => Volatile.Read(ref _endTimestamp); set => Volatile.Write(ref _endTimestamp, value); }
        public abstract bool TryBeginIteration(int copy);
        public virtual void CopyExited(int copy) { }
    }

    /// <summary>Copies 0..Target-1 run; a copy whose number falls outside a shrinking target finishes and exits.</summary>
    private sealed class TargetCopies(bool warmUp, int capacity, long endTimestamp) : CopyControl(warmUp, endTimestamp)
    {
        private readonly int[] _running = new int[capacity];
        private volatile int _target;

        public int Target { get => _target; set => _target = Math.Min(value, _running.Length); }
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

    /// <summary>Copies shared by consecutive closed phases (warm-up included): handing them over, instead of
    /// stopping one set and starting the next, keeps the concurrency at what was asked across phase boundaries
    /// (a stopping copy's last iteration would otherwise overlap the new copies).</summary>
    private TargetCopies? _copies;

    private async Task RunClosedPhaseAsync(ClosedPhase phase, long phaseStart, bool warmUp, IReadOnlyList<SimulationPhase> following, CancellationToken stop)
    {
        var carriedOn = following.TakeWhile(p => p is ClosedPhase).ToList();
        long chainEnd = phaseStart + ToTicks(phase.Duration) + carriedOn.Sum(p => ToTicks(p.Duration));
        bool handOver = carriedOn.Count > 0 && !stop.IsCancellationRequested;
        // The measured part starts when the warm-up's timer fires, not at its nominal end, so copies handed over
        // from the warm-up get their end from the first measured phase instead of stopping a moment early.
        if (warmUp && handOver) chainEnd = long.MaxValue;
        var control = _copies ??= new TargetCopies(warmUp, _maxCopies, chainEnd);
        control.WarmUp = warmUp;
        control.EndTimestamp = chainEnd;
        try
        {
            while (true)
            {
                var elapsed = _time.GetElapsedTime(phaseStart);
                double progress = Math.Min(1, elapsed / phase.Duration);
                control.Target = (int)Math.Round(phase.StartCopies + (phase.EndCopies - phase.StartCopies) * progress);
                // Also re-checked on every step of a constant phase: a copy that was just leaving when the target
                // rose again is replaced within one step.
                for (int copy = 0; copy < control.Target; copy++)
                    if (control.TryMarkRunning(copy)) _ = RunCopyAsync(copy, control);
                var rest = phase.Duration - elapsed;
                if (rest <= TimeSpan.Zero) break;
                await Task.Delay(rest > _options.RampStep ? _options.RampStep : rest, _time, stop);
            }
        }
        catch (OperationCanceledException)
        {
            handOver = false;
            throw;
        }
        finally
        {
            if (!handOver)
            {
                control.Stop();
                _copies = null;
            }
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
        int synchronousInARow = 0;
        try
        {
            while (control.TryBeginIteration(copy) && !_stopIterations.IsCancellationRequested)
            {
                long now = _time.GetTimestamp();
                if (now >= control.EndTimestamp) break;
                context.IsWarmUp = control.WarmUp;
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
