using System.Globalization;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// ChatLoad's own server in one connection model ("threads" or "async"), run from its Release dll at the server's
/// default send coalescing window — in the threads-against-async comparison as beside the reference servers (which
/// run with their own default coalescing, Nagle). Both models honour the window with the same meaning, so each is
/// compared as it ships; the README's "The threads model's writer window" gives the figures the choice rests on.
/// </summary>
public sealed class ChatLoadServer(string mode, string serverDll) : IServerUnderTest
{
    public static readonly IReadOnlyList<string> Modes = ["threads", "async"];

    public string Name => mode;

    public string Description => mode == "threads"
        ? "ChatLoad, --mode threads: one dedicated OS thread per client, blocking socket I/O"
        : "ChatLoad, --mode async: non-blocking sockets with System.IO.Pipelines, no thread per client";

    public bool IsOurs => true;

    public Task<RunningServer> StartAsync(ServerLaunch launch, CancellationToken cancellationToken)
    {
        int port = FreePort.Pick();
        int metricsPort = FreePort.Pick();
        while (metricsPort == port) metricsPort = FreePort.Pick();
        var args = Arguments(mode, port, metricsPort, launch.MaxClients);
        return RunningServer.StartAsync(mode, () => ChildProcess.StartDotnet(serverDll, args, launch.Cores, launch.LogPath),
            port, metricsPort, launch, cancellationToken);
    }

    /// <summary>
    /// The one place the comparison composes our server's command line. A comparison measures the connection model,
    /// not our defences: flood control is off explicitly (hardening turns it on by default), and so are the
    /// per-address limits (concurrent connections and the connect throttle), since every generated client comes
    /// from 127.0.0.x. The send coalescing window is the server's default (see the class).
    /// </summary>
    public static IReadOnlyList<string> Arguments(string mode, int port, int metricsPort, int? maxClients)
    {
        var args = new List<string>
        {
            "--mode", mode,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture),
            "--flood-control", "off",
            "--max-connections-per-address", "0",
            "--connect-burst-per-address", "0",
        };
        if (maxClients is { } max) args.AddRange(["--max-clients", max.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }
}

/// <summary>The servers a comparison runs, in report order: our models from <c>--modes</c>, then the reference servers
/// (<c>--peers</c>, or exactly those of <c>--servers</c>; see Comparison/Peers/).</summary>
public static class ServersUnderTest
{
    /// <summary>Builds the servers named in <paramref name="options"/>. Reference servers (the peers work) are added
    /// by their own catalogue through <paramref name="extra"/>.</summary>
    public static IReadOnlyList<IServerUnderTest> For(ComparisonOptions options, string serverDll, IEnumerable<IServerUnderTest>? extra = null) =>
        [.. options.Servers.Select(name => ReferenceServers.Find(name) is { } reference
            ? new ReferenceServerUnderTest(reference)
            : (IServerUnderTest)new ChatLoadServer(name, serverDll)), .. extra ?? []];

    /// <summary>Every server <c>--servers</c> accepts: ChatLoad's two modes, then the reference servers.</summary>
    public static readonly IReadOnlyList<string> Known = [.. ChatLoadServer.Modes, .. ReferenceServers.Names];
}
