namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A server the comparison starts, knows the pid and port of, and stops: our server in each connection model, and
/// reference servers beside it (ngIRCd, InspIRCd, small Python servers — see Comparison/Peers/ when present). The
/// comparison itself only ever sees this interface and <see cref="RunningServer"/>.
/// </summary>
public interface IServerUnderTest
{
    /// <summary>Short name, unique in a comparison: "threads", "async", "ngircd" ... (report columns, folders, CLI).</summary>
    string Name { get; }

    /// <summary>One line for the report: what it is and how it is configured ("ChatLoad, one OS thread per client").</summary>
    string Description { get; }

    /// <summary>True for ChatLoad's own models: verdicts and the answer are about these (threads vs async); the
    /// others are shown beside them for scale.</summary>
    bool IsOurs { get; }

    /// <summary>Starts the server on a free loopback port and returns once it accepts connections; throws
    /// <see cref="ServerStartException"/> (with its output) when it exits or does not accept in time.</summary>
    Task<RunningServer> StartAsync(ServerLaunch launch, CancellationToken cancellationToken);
}

/// <summary>How the comparison wants a server started: which cores, where its log goes, how long it may take, and
/// an optional client limit (a wall that can be reached quickly, for tests).</summary>
public sealed record ServerLaunch(string? Cores, string LogPath, TimeSpan StartTimeout, TimeProvider Time, int? MaxClients = null);
