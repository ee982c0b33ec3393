namespace ChatLoad.LoadEngine.Runner;

/// <summary>
/// When each open-model iteration is due. The rate r(t) moves linearly from r0 to r1 over the phase, so the number
/// of iterations due by t is N(t) = r0·t + (r1 − r0)·t²/(2D); iteration k (from 0) is due when N(t) = k. Working from
/// this closed form, not from "one more every 1/r seconds", keeps the rate exact however late the scheduler wakes.
/// </summary>
internal readonly struct InjectSchedule
{
    private readonly double _startRate, _halfSlope, _seconds;

    public long TotalIterations { get; }

    public InjectSchedule(double startRatePerSecond, double endRatePerSecond, TimeSpan duration)
    {
        _startRate = startRatePerSecond;
        _seconds = duration.TotalSeconds;
        _halfSlope = _seconds > 0 ? (endRatePerSecond - startRatePerSecond) / (2 * _seconds) : 0;
        // Tolerance: a rate × duration that is a whole number must not gain one iteration from rounding.
        TotalIterations = _seconds > 0 ? Math.Max(0, (long)Math.Ceiling(CountAt(_seconds) - 1e-6)) : 0;
    }

    private double CountAt(double seconds) => _startRate * seconds + _halfSlope * seconds * seconds;

    /// <summary>How many iterations are due by <paramref name="elapsed"/> since the phase began (iteration 0 is due at 0).</summary>
    public long DueBy(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero || TotalIterations == 0) return 0;
        double t = Math.Min(elapsed.TotalSeconds, _seconds);
        return Math.Min(TotalIterations, (long)Math.Floor(CountAt(t) + 1e-9) + 1);
    }

    /// <summary>When iteration <paramref name="k"/> is due: the root of N(t) = k, in a form stable for ramps up,
    /// ramps down and constant rates alike.</summary>
    public TimeSpan OffsetOf(long k)
    {
        if (k <= 0) return TimeSpan.Zero;
        double discriminant = Math.Max(0, _startRate * _startRate + 4 * _halfSlope * k);
        double denominator = _startRate + Math.Sqrt(discriminant);
        double seconds = denominator > 0 ? 2.0 * k / denominator : _seconds;
        return TimeSpan.FromSeconds(Math.Min(seconds, _seconds));
    }
}
