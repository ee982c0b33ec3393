namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A server the comparison runs beside ChatLoad's two modes, on the same scenarios and the same pinning, so its
/// figures say where ChatLoad stands: an established IRC server from Debian (ngIRCd, InspIRCd) or one of the two
/// small Python servers in <c>peers/python</c>. Each says how it is started, what its config lifts, and which socket
/// options it runs with, because those explain its figures as much as its code does.
/// </summary>
public abstract class ReferenceServer
{
    /// <summary>The name in <c>--servers</c>, the report and the run folders: "ngircd", "py-asyncio".</summary>
    public abstract string Name { get; }

    /// <summary>What it is, for a reader: "ngIRCd (Debian package)".</summary>
    public abstract string Title { get; }

    /// <summary>Its connection model in one sentence.</summary>
    public abstract string Model { get; }

    /// <summary>The socket options it runs with (TCP_NODELAY above all: without it Nagle and the receiver's delayed
    /// ACK add tens of milliseconds to small writes).</summary>
    public abstract string SocketOptions { get; }

    /// <summary>Whether it sets TCP_NODELAY on client sockets (checked with strace: ngIRCd and InspIRCd do not).</summary>
    public abstract bool NoDelay { get; }

    /// <summary>What its rendered config lifts, and what it leaves as the server ships it.</summary>
    public abstract string Limits { get; }

    /// <summary>Why it can be ahead of ChatLoad where it is: what its design buys it.</summary>
    public abstract string Strengths { get; }

    /// <summary>The executable (a name looked up on PATH and in /usr/sbin, or an absolute path).</summary>
    public abstract string Program { get; }

    /// <summary>Arguments that make the executable print its version and exit.</summary>
    public virtual IReadOnlyList<string> VersionArguments => ["--version"];

    /// <summary>Writes whatever config the server needs into <paramref name="configDirectory"/> (created when there is
    /// one to write) and returns how to
    /// start it in the foreground on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <exception cref="ServerStartException">Something it needs is missing (a script, a package).</exception>
    internal abstract ReferenceLaunch Prepare(int port, string configDirectory);

    /// <summary>The executable's full path, or null when it is not installed.</summary>
    public string? FindProgram()
    {
        if (Path.IsPathRooted(Program)) return File.Exists(Program) ? Program : null;
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin"]);
        return folders.Select(dir => Path.Combine(dir, Program)).FirstOrDefault(File.Exists);
    }

    public override string ToString() => Name;
}

/// <summary>How to start one reference server: arguments for its program and environment variables to add.</summary>
internal sealed record ReferenceLaunch(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string>? Environment = null);

/// <summary>The reference servers the comparison knows, in report order.</summary>
public static class ReferenceServers
{
    public static readonly IReadOnlyList<ReferenceServer> All =
        [new NgircdServer(), new InspircdServer(), PythonServer.Threads, PythonServer.Asyncio];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    /// <summary>The reference server of that name, or null for ChatLoad's own modes.</summary>
    public static ReferenceServer? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    public static bool IsReference(string name) => Find(name) is not null;

    /// <summary>How a server's name reads in tables and chart legends: reference servers are marked as such.</summary>
    public static string Label(string name) => IsReference(name) ? $"{name} (reference)" : name;

    /// <summary>What a report says of ChatLoad's own servers beside the reference servers' socket options.</summary>
    public const string OurSocketOptions =
        "TCP_NODELAY on every client socket, SO_REUSEADDR, listen backlog 4096; per-client SendQ 64 KiB (then ERROR :SendQ exceeded)";
}
