namespace ChatLoad.CommandLine;

/// <summary>
/// What every ChatLoad program's exit code means, so a CI job can tell a regression from a typo from a server that
/// was never started.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything ran and every threshold passed.</summary>
    public const int Ok = 0;

    /// <summary>A threshold or regression rule broke (the load engine, diff, the comparison with --fail-if); for the
    /// server, a failure to start that is not the command line's fault (port in use).</summary>
    public const int Failed = 1;

    /// <summary>Bad command line or config: reported before anything starts.</summary>
    public const int Usage = 2;

    /// <summary>The target did not answer (nothing listening, refused, timed out): nothing was measured.</summary>
    public const int TargetUnreachable = 3;
}
