using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ChatLoad.Server.Hosting;

namespace ChatLoad.Server.Tests.Infrastructure;

/// <summary>
/// The server as a separate OS process (<c>dotnet ChatLoad.Server.dll --mode ... --port 0</c>), for what only a
/// process shows: its OS thread count and RSS (/proc/PID/status), SIGTERM handling, exit codes.
/// <code>
/// await using var server = await ServerProcess.StartAsync(ConnectionMode.Async, "--max-clients", "500");
/// long threads = server.ReadStatus("Threads:");
/// server.SendSigterm(); int? code = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
/// </code>
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    public const int SIGTERM = 15;
    public const int SIGINT = 2;

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>The chat port, parsed from the "Listening on 127.0.0.1:PORT" log line.</summary>
    public int Port { get; private set; }

    /// <summary>Everything the process wrote so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyList<string> Output
    {
        get { lock (_output) return _output.ToArray(); }
    }

    /// <summary>Path of the server dll the tests run (the one this test assembly was built against).</summary>
    public static string ServerDllPath { get; } = typeof(ServerOptions).Assembly.Location;

    /// <summary>Starts the server with <c>--mode</c>, <c>--port 0</c>, <c>--bind 127.0.0.1</c> and <paramref name="extraArgs"/>; returns once it listens.</summary>
    public static Task<ServerProcess> StartAsync(ConnectionMode mode, params string[] extraArgs) =>
        StartAsync(mode, openFileLimit: null, extraArgs);

    /// <summary>As <see cref="StartAsync(ConnectionMode, string[])"/>, with the process's open-file limit (soft and hard)
    /// set to <paramref name="openFileLimit"/> by util-linux's prlimit, for descriptor-exhaustion tests.</summary>
    public static async Task<ServerProcess> StartAsync(ConnectionMode mode, int? openFileLimit, params string[] extraArgs)
    {
        string[] args = ["--mode", mode.ToString().ToLowerInvariant(), "--port", "0", "--bind", "127.0.0.1", .. extraArgs];
        var server = new ServerProcess(Launch(args, openFileLimit));
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException("server exited before listening: " + string.Join('\n', server.Output)));
        server._process.EnableRaisingEvents = true;
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        Task finished = await Task.WhenAny(server._listening.Task, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false);
        if (finished != server._listening.Task)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException("server did not start listening within 60 s: " + string.Join('\n', server.Output));
        }
        server.Port = await server._listening.Task.ConfigureAwait(false);
        return server;
    }

    /// <summary>Runs the server with exactly <paramref name="args"/> until it exits (for option errors); kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessRun> RunToExitAsync(TimeSpan timeout, params string[] args)
    {
        using Process process = Launch(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"server with [{string.Join(' ', args)}] did not exit within {timeout}");
        }
        return new ProcessRun(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Waits until the process has written a line containing <paramref name="text"/> (e.g. "Metrics endpoint").</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!Output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the server never wrote '{text}': " + string.Join('\n', Output));
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>A numeric field of /proc/PID/status: "Threads:" (OS threads), "VmRSS:" (kB), "VmHWM:" (kB).</summary>
    public long ReadStatus(string field)
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
        }
        throw new InvalidOperationException($"no {field} in /proc/{Pid}/status");
    }

    /// <summary>OS threads of the process now.</summary>
    public long OsThreads => ReadStatus("Threads:");

    /// <summary>Resident set size now, in bytes.</summary>
    public long RssBytes => ReadStatus("VmRSS:") * 1024;

    public void SendSignal(int signal)
    {
        if (kill(Pid, signal) != 0)
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public void SendSigterm() => SendSignal(SIGTERM);

    /// <summary>Waits for the process to exit; its exit code, or null if still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private static Process Launch(string[] args, int? openFileLimit = null)
    {
        // Through env --default-signal=INT: a shell without job control (a background `./scripts/test.sh &`) starts
        // its children with SIGINT ignored, and an ignored SIGINT is inherited, so the SIGINT test would measure
        // the launching shell rather than the server.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        if (openFileLimit is { } limit)
        {
            start.ArgumentList.Add("prlimit");
            start.ArgumentList.Add($"--nofile={limit}:{limit}");
        }
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(ServerDllPath);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.Add(line);
        Match m = ListeningLine().Match(line);
        if (m.Success)
            _listening.TrySetResult(int.Parse(m.Groups[1].Value));
    }

    [GeneratedRegex(@"Listening on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

/// <summary>How a server process run ended.</summary>
public sealed record ProcessRun(int ExitCode, string StdOut, string StdErr);
