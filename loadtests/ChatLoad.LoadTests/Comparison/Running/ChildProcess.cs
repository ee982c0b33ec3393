using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A child process of the comparison (the server or one load generator), optionally pinned to cores, with its
/// output drained into bounded tails so a chatty child can never block on a full pipe.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int SIGTERM = 15;

    private readonly Process _process;
    public OutputTail Stdout { get; }
    public OutputTail Stderr { get; }
    public string CommandLine { get; }

    private ChildProcess(Process process, OutputTail stdout, OutputTail stderr, string commandLine)
    {
        _process = process;
        Stdout = stdout;
        Stderr = stderr;
        CommandLine = commandLine;
    }

    /// <summary>Starts <c>dotnet DLL args...</c>, wrapped in <c>taskset -c CORES</c> when <paramref name="cores"/> is given.</summary>
    public static ChildProcess StartDotnet(string dll, IReadOnlyList<string> args, string? cores, string? logPath) =>
        Start("dotnet", [dll, .. args], cores, logPath);

    /// <summary>Starts <paramref name="program"/> (a path or a name on PATH) with <paramref name="args"/>, wrapped in
    /// <c>taskset -c CORES</c> when <paramref name="cores"/> is given; stdout to <paramref name="logPath"/>, stderr
    /// beside it. Reference servers (ngircd, python3 ...) start through here as well as our own.</summary>
    public static ChildProcess Start(string program, IReadOnlyList<string> args, string? cores, string? logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var all = new List<string>();
        if (cores is not null)
        {
            // taskset execs the command, so the pid we hold is the program itself (SIGTERM reaches it).
            psi.FileName = "taskset";
            all.AddRange(["-c", cores, program]);
        }
        else
        {
            psi.FileName = program;
        }
        all.AddRange(args);
        foreach (var a in all) psi.ArgumentList.Add(a);
        // Children write plain lines, not a live terminal view: their output goes to files.
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;

        var stdout = new OutputTail(logPath);
        var stderr = new OutputTail(logPath is null ? null : logPath + ".stderr");
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => stdout.Add(e.Data);
        process.ErrorDataReceived += (_, e) => stderr.Add(e.Data);
        string commandLine = psi.FileName + " " + string.Join(" ", all.Select(Quote));
        try
        {
            process.Start();
        }
        catch (Exception ex)
        {
            stdout.Dispose();
            stderr.Dispose();
            process.Dispose();
            throw new ComparisonAbortedException($"could not start '{commandLine}': {ex.Message}");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, stdout, stderr, commandLine);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits for exit up to <paramref name="timeout"/>; true if it exited.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop as a user would (SIGTERM), so its graceful shutdown runs.</summary>
    public bool Terminate() => !_process.HasExited && Kill(_process.Id, SIGTERM) == 0;

    /// <summary>Ends the process and its children at once (SIGKILL): for timeouts and clean-up.</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        KillTree();
        // Let the async readers drain what is left before the tails close their files.
        try { _process.WaitForExit(2_000); } catch (InvalidOperationException) { }
        _process.Dispose();
        Stdout.Dispose();
        Stderr.Dispose();
    }

    private static string Quote(string arg) => arg.Contains(' ') ? $"\"{arg}\"" : arg;

    // DllImport rather than LibraryImport: the latter's generated code would need AllowUnsafeBlocks in a csproj
    // this folder does not own, and two ints marshal as they are.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
