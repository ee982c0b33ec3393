using System.Globalization;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>ChatLoad's own server in one connection model ("threads" or "async"), run from its Release dll.</summary>
/// <param name="coalesceSends">false (the threads-against-async comparison): async's send coalescing window is off,
/// since the threads model has none and the two models are compared on equal terms. true (the table beside the
/// reference servers): the server's default window, as ngIRCd and InspIRCd run with their own default coalescing
/// (Nagle: they do not set TCP_NODELAY).</param>
public sealed class ChatLoadServer(string mode, string serverDll, bool coalesceSends = false) : IServerUnderTest
{
    public static readonly IReadOnlyList<string> Modes = ["threads", "async"];

    public string Name => mode;

    public string Description => mode == "threads"
        ? "ChatLoad, --mode threads: one dedicated OS thread per client, blocking socket I/O"
        : "ChatLoad, --mode async: non-blocking sockets with System.IO.Pipelines, no thread per client" +
          (coalesceSends ? " (send coalescing window: the server's default)" : " (send coalescing window off, as threads has none)");

    public bool IsOurs => true;

    public Task<RunningServer> StartAsync(ServerLaunch launch, CancellationToken cancellationToken)
    {
        int port = FreePort.Pick();
        int metricsPort = FreePort.Pick();
        while (metricsPort == port) metricsPort = FreePort.Pick();
        var args = Arguments(mode, port, metricsPort, launch.MaxClients, coalesceSends);
        return RunningServer.StartAsync(mode, () => ChildProcess.StartDotnet(serverDll, args, launch.Cores, launch.LogPath),
            port, metricsPort, launch, cancellationToken);
    }

    /// <summary>
    /// The one place the comparison composes our server's command line. A comparison measures the connection model,
    /// not our defences: flood control is off explicitly (hardening turns it on by default), and so are the
    /// per-address limits (concurrent connections and the connect throttle), since every generated client comes
    /// from 127.0.0.x. The send coalescing window is off unless <paramref name="coalesceSends"/> (see the class).
    /// </summary>
    public static IReadOnlyList<string> Arguments(string mode, int port, int metricsPort, int? maxClients, bool coalesceSends = false)
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
        if (!coalesceSends) args.AddRange(["--send-coalescing-window", "0ms"]);
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
