using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The chat server under test, as a child process of its own on free ports. Started, waited on until it accepts,
/// watched between rungs, and stopped the way an operator would: SIGTERM, then a bounded wait, then SIGKILL.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _child;
    private readonly TimeProvider _time;

    public string Mode { get; }
    public int Port { get; }
    public int MetricsPort { get; }
    public TimeSpan StartupTime { get; private init; }
    public ProcessFigures? IdleFigures { get; private init; }
    public int Pid => _child.Id;
    public string CommandLine => _child.CommandLine;

    private ServerProcess(ChildProcess child, string mode, int port, int metricsPort, TimeProvider time)
    {
        _child = child;
        Mode = mode;
        Port = port;
        MetricsPort = metricsPort;
        _time = time;
    }

    public static async Task<ServerProcess> StartAsync(
        string serverDll, string mode, IReadOnlyList<string> extraArgs, string? cores, string logPath, TimeSpan startTimeout, TimeProvider time, CancellationToken ct)
    {
        int port = FreePort.Pick();
        int metricsPort = FreePort.Pick();
        while (metricsPort == port) metricsPort = FreePort.Pick();
        long started = time.GetTimestamp();
        // Flood control off, said explicitly: the comparison measures the connection models, and the load it offers
        // is far above what the server lets one real client send (its default, on).
        var child = ChildProcess.StartDotnet(serverDll,
            ["--mode", mode, "--port", port.ToString(), "--bind", "127.0.0.1", "--metrics-port", metricsPort.ToString(), "--flood-control", "off", .. extraArgs],
            cores, logPath);
        try
        {
            await WaitUntilAcceptingAsync(child, port, startTimeout, time, ct);
            await WaitUntilAcceptingAsync(child, metricsPort, startTimeout, time, ct);
        }
        catch
        {
            child.Dispose();
            throw;
        }
        var elapsed = time.GetElapsedTime(started);
        return new ServerProcess(child, mode, port, metricsPort, time)
        {
            StartupTime = elapsed,
            IdleFigures = ProcessFigures.Read(child.Id),
        };
    }

    /// <summary>Connects until the port accepts, the process exits, or the timeout passes; each way is clear.</summary>
    private static async Task WaitUntilAcceptingAsync(ChildProcess child, int port, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        long started = time.GetTimestamp();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (child.HasExited)
                throw new ServerStartException($"the server exited with code {child.ExitCode} before accepting on port {port}",
                    child.Stderr.Last() is { Length: > 0 } err ? err : child.Stdout.Last());
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                try
                {
                    await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                    return;
                }
                catch (SocketException)
                {
                    // not listening yet
                }
            }
            if (time.GetElapsedTime(started) > timeout)
                throw new ServerStartException($"the server did not accept on port {port} within {timeout.TotalSeconds:0} s", child.Stdout.Last());
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
        }
    }

    public bool IsAlive => !_child.HasExited;

    public int? ExitCode => _child.ExitCode;

    public string OutputTail => _child.Stderr.Last() is { Length: > 0 } err ? err : _child.Stdout.Last();

    public ProcessSampler StartSampling() => new(_child.Id, _time);

    /// <summary>SIGTERM, wait for a graceful exit up to <paramref name="timeout"/>, else SIGKILL. Reports how it went.</summary>
    public async Task<ServerStop> StopAsync(TimeSpan timeout)
    {
        if (_child.HasExited)
            return new ServerStop(_child.ExitCode, TimeSpan.Zero, WasRunning: false, Killed: false);
        long started = _time.GetTimestamp();
        _child.Terminate();
        bool exited = await _child.WaitForExitAsync(timeout);
        if (!exited)
        {
            _child.KillTree();
            await _child.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        return new ServerStop(_child.ExitCode, _time.GetElapsedTime(started), WasRunning: true, Killed: !exited);
    }

    public ValueTask DisposeAsync()
    {
        _child.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>How a server stopped: its exit code, how long SIGTERM took, and whether it had to be killed.</summary>
public sealed record ServerStop(int? ExitCode, TimeSpan StopTime, bool WasRunning, bool Killed)
{
    public string Describe() =>
        !WasRunning ? $"had already exited (code {ExitCode?.ToString() ?? "?"})"
        : Killed ? $"ignored SIGTERM for {StopTime.TotalSeconds:0.#} s and was killed"
        : $"exited with code {ExitCode} {StopTime.TotalSeconds:0.00} s after SIGTERM";
}

/// <summary>The server did not come up: the comparison records it for that mode and goes on.</summary>
public sealed class ServerStartException(string message, string outputTail) : Exception(message)
{
    public string OutputTail { get; } = outputTail;
}

/// <summary>The comparison as a whole cannot go on (e.g. a child cannot even be started).</summary>
public sealed class ComparisonAbortedException(string message) : Exception(message);
