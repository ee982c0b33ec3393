namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// One of the two Python servers in <c>peers/python</c> (the IRC subset the load suite needs, standard library only),
/// run with Debian's own <c>/usr/bin/python3</c>: the question ChatLoad settles was first asked about Python
/// ("threads for 10–100 tasks, asyncio for thousands"), and these answer it there, beside .NET.
/// </summary>
internal sealed class PythonServer : ReferenceServer
{
    /// <summary>Where the scripts live, relative to the repository root.</summary>
    public const string ScriptFolder = "peers/python";

    public static readonly PythonServer Threads = new(
        "py-threads", "threads_server.py",
        "Python threading: a reader thread per client blocked in recv; a line goes straight to each recipient's socket " +
        "(MSG_DONTWAIT) unless something is queued for it, and a recipient's backlog goes to its bounded queue, drained by " +
        "its own writer thread (started when first needed) with one blocking sendall; one lock around the shared state; " +
        "the GIL runs one thread at a time",
        "a reader thread blocked in recv handles its line at once and writes straight to the recipients' sockets: with few " +
        "clients nothing waits for a turn of an event loop",
        "none to lift: no flood control, no per-address limits; threads get 256 KiB stacks (as ChatLoad's threads mode)");

    public static readonly PythonServer Asyncio = new(
        "py-asyncio", "asyncio_server.py",
        "Python asyncio: one thread, one event loop (epoll), an asyncio.Protocol per client; each client's lines " +
        "of one loop turn leave in one transport.write",
        "one thread and one event loop: nothing is handed between threads, and an idle client costs a protocol object, not a thread",
        "none to lift: no flood control, no per-address limits");

    private readonly string _script;

    private PythonServer(string name, string script, string model, string strengths, string limits)
    {
        Name = name;
        _script = script;
        Model = model;
        Strengths = strengths;
        Limits = limits;
    }

    public override string Name { get; }
    public override string Title => $"Python 3, {ScriptFolder}/{_script} (standard library only)";
    public override string Model { get; }
    public override string Strengths { get; }

    public override bool NoDelay => true;

    public override string SocketOptions =>
        "TCP_NODELAY on, SO_REUSEADDR, listen backlog 4096 (as ChatLoad's servers); per-client send queue 64 KiB, then " +
        "the client is dropped (as ChatLoad's SendQ)";

    public override string Limits { get; }

    /// <summary>Debian's interpreter, not whichever python3 is first on PATH: the figures should not depend on a
    /// developer's pyenv.</summary>
    public override string Program => "/usr/bin/python3";

    internal override ReferenceLaunch Prepare(int port, string configDirectory)
    {
        string script = ScriptPath();
        return new ReferenceLaunch([script, "--port", port.ToString(), "--bind", "127.0.0.1"],
            new Dictionary<string, string>
            {
                // No __pycache__ written into the repository; output line by line into the server log.
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["PYTHONUNBUFFERED"] = "1",
            });
    }

    /// <summary>The script in this checkout, found by walking up from the load CLI to ChatLoad.sln.</summary>
    public string ScriptPath()
    {
        string? root = BuildPaths.FindRepositoryRoot(AppContext.BaseDirectory) ?? BuildPaths.FindRepositoryRoot(Directory.GetCurrentDirectory());
        string? path = root is null ? null : Path.Combine(root, ScriptFolder, _script);
        if (path is null || !File.Exists(path))
            throw new ServerStartException($"{ScriptFolder}/{_script} not found (looked above {AppContext.BaseDirectory} for ChatLoad.sln)", "");
        return path;
    }
}
