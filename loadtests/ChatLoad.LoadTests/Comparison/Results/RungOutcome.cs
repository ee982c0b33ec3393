namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// What one run of one rung gave: its figures when the load CLI produced a result, and — when the mode failed at
/// that rung — what failed, in the child's own words. A failure is a result, shown where it happened.
/// </summary>
public sealed record RungOutcome
{
    public required string Server { get; init; }
    public required RungSpec Rung { get; init; }
    public required int Repeat { get; init; }

    /// <summary>What the run was for: a plain measurement, a probe of a saturation search, or a repeat at the rate a
    /// search found (whose figures make the point's medians and spread).</summary>
    public RunPhase Phase { get; init; } = RunPhase.Measure;

    /// <summary>Null when the rung succeeded; otherwise a one-line reason ("timed out after 60 s", "Server full").</summary>
    public string? Failure { get; init; }

    /// <summary>The evidence behind <see cref="Failure"/>: exit code, the child's last stderr lines, the server's.</summary>
    public string? FailureDetail { get; init; }

    public int? ExitCode { get; init; }
    public TimeSpan WallTime { get; init; }

    /// <summary>Figures, when a result was produced (a failed rung may still have them, e.g. with refused clients).</summary>
    public RungFigures? Figures { get; init; }

    /// <summary>The per-run report, relative to the comparison's folder (null if none was written).</summary>
    public string? ReportLink { get; init; }

    /// <summary>Things a reader should know about this run: thresholds broken, generator saturated, skipped.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public bool Succeeded => Failure is null;

    public bool Skipped { get; init; }
}

public enum RunPhase { Measure, Probe, Confirm }
