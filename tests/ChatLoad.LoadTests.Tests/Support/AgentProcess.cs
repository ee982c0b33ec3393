using System.Diagnostics;

namespace ChatLoad.LoadTests.Tests.Support;

/// <summary>A load agent (<c>ChatLoad.LoadTests.dll agent</c>) as its own process, as a user starts one on each
/// machine; here on loopback, each with a source address of its own.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _log = new();

    private AgentProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public string Log
    {
        get
        {
            lock (_log) return string.Join('\n', _log);
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<AgentProcess> StartAsync(string natsUrl, string name, string sourceAddress, string? group = null)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ChatLoad.LoadTests.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var args = new List<string> { dll, "agent", "--nats", natsUrl, "--name", name, "--source-ip", sourceAddress };
        if (group is not null) args.AddRange(["--group", group]);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start an agent");
        var agent = new AgentProcess(process, name);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!agent.Log.Contains($"agent {name}: ready"))
        {
            if (process.HasExited) throw new InvalidOperationException($"agent {name} exited with code {process.ExitCode}:\n{agent.Log}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"agent {name} not ready after {StartTimeout.TotalSeconds} s:\n{agent.Log}");
            await Task.Delay(50);
        }
        return agent;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.Add(line);
    }

    /// <summary>Ends the agent at once, as a crash or a pulled cable would (SIGKILL: no goodbye to anyone).</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => ChildProcess.KillAndDisposeAsync(_process);
}
