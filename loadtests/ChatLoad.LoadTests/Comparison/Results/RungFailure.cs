namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Whether a rung that produced a result still failed, and how to say so in one line: the load CLI's exit code
/// (a broken threshold), clients that could not connect (a mode's wall: "Server full", refused, timed out), or
/// iterations that failed.
/// </summary>
public static class RungFailure
{
    /// <summary>Above this share (%) of clients not connecting, or of iterations failing, the rung failed as a whole
    /// even though the load CLI exited cleanly. Default 1%: at that rate a mode is refusing or dropping clients,
    /// not suffering noise.</summary>
    public const double FailedPercent = 1.0;

    /// <summary>Null when the rung succeeded; otherwise the reason, most telling first.</summary>
    public static string? Classify(int exitCode, RungFigures figures, int clients)
    {
        if (exitCode != 0)
            return figures.BrokenThresholds.Count > 0
                ? $"exit code {exitCode}: threshold broken: {figures.BrokenThresholds[0]}"
                : $"load generator exited with code {exitCode}";
        if (figures.ConnectFailures * 100.0 > FailedPercent * clients)
            return $"{figures.ConnectFailures:N0} of {clients:N0} clients could not connect" +
                   (figures.SetupFailures is { } why ? $" ({why})" : "");
        if (figures.FailPercent > FailedPercent)
            return $"{figures.FailPercent:0.#}% of {figures.Iterations:N0} iterations failed" +
                   (figures.TopError is null ? "" : $" ({figures.TopError})");
        return null;
    }
}
