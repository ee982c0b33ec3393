using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ChatLoad.LoadTests.Tests.Support;

/// <summary>
/// The real chat server, started as its own process from the build output beside the tests (the project reference
/// copies it here), in the given mode, on a free port with its metrics endpoint on. Its own process keeps a
/// threads-mode server's threads out of the test host and makes every figure the server's alone.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _log = new();

    private ServerProcess(Process process, string mode, int metricsPort)
    {
        _process = process;
        Mode = mode;
        MetricsAddress = $"127.0.0.1:{metricsPort}";
    }

    public string Mode { get; }
    public IPEndPoint EndPoint { get; private set; } = null!;
    public string Target => $"127.0.0.1:{EndPoint.Port}";
    public string MetricsAddress { get; }

    public string Log
    {
        get
        {
            lock (_log)
                return string.Join('\n', _log);
        }
    }

    /// <summary>Starts the server; retries with another metrics port if the one picked was taken meanwhile.</summary>
    public static async Task<ServerProcess> StartAsync(string mode, params string[] extraArgs)
    {
        Exception? last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var server = Launch(mode, FreePort(), extraArgs);
            try
            {
                await server.WaitUntilListeningAsync();
                return server;
            }
            catch (Exception e)
            {
                last = e;
                await server.DisposeAsync();
            }
        }
        throw new InvalidOperationException($"the {mode} server did not start", last);
    }

    private static ServerProcess Launch(string mode, int metricsPort, string[] extraArgs)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ChatLoad.Server.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Flood control off, as the comparison runs it: the scenarios send far faster than one real client may.
        foreach (var arg in new[] { dll, "--mode", mode, "--port", "0", "--bind", "127.0.0.1", "--metrics-port", metricsPort.ToString(), "--flood-control", "off" }.Concat(extraArgs))
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, mode, metricsPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.Add(line);
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"server exited with code {_process.ExitCode}: {Log}");
            if (ListeningLine().Match(Log) is { Success: true } m && EndPoint is null)
                EndPoint = IPEndPoint.Parse(m.Groups[1].Value);
            if (EndPoint is not null)
            {
                try
                {
                    await http.GetStringAsync($"http://{MetricsAddress}/metrics");
                    return;
                }
                catch (Exception) when (DateTime.UtcNow < deadline)
                {
                    // endpoint not up yet
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"server not listening after {StartTimeout.TotalSeconds} s: {Log}");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Listening on (\S+:\d+)")]
    private static partial Regex ListeningLine();

    public ValueTask DisposeAsync() => ChildProcess.KillAndDisposeAsync(_process);
}
