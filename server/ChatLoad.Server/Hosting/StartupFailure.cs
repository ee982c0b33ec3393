namespace ChatLoad.Server.Hosting;

/// <summary>
/// Set by a hosted service that could not start for an expected reason (port in use): it logs one line and stops
/// the host instead of throwing, and the program turns this into its exit code.
/// </summary>
public sealed class StartupFailure
{
    /// <summary>Exit code for a runtime failure to start (bad options use 2, before the host is built).</summary>
    public const int ExitCode = 1;

    public string? Reason { get; private set; }

    public void Fail(string reason) => Reason ??= reason;
}
