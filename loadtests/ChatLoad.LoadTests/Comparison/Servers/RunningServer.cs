using System.Net;
using System.Net.Sockets;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// A server under test while it runs: its process (pid, output), its IRC port and — for servers that have one — its
/// Prometheus port. Servers without a metrics endpoint are measured from /proc/&lt;pid&gt; by
/// <see cref="ServerTimeline"/> (threads, RSS, CPU), as every server is for its idle baseline. Stopped the way an
/// operator would: SIGTERM, a bounded wait, then SIGKILL.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly ChildProcess _child;
    private readonly TimeProvider _time;

    public string Name { get; }
    public int Port { get; }

    /// <summary>The Prometheus endpoint's port; null for servers without one.</summary>
    public int? MetricsPort { get; }
    public TimeSpan StartupTime { get; private init; }
    public ProcessFigures? IdleFigures { get; private init; }
    public int Pid => _child.Id;
    public string CommandLine => _child.CommandLine;

    private RunningServer(ChildProcess child, string name, int port, int? metricsPort, TimeProvider time)
    {
        _child = child;
        Name = name;
        Port = port;
        MetricsPort = metricsPort;
        _time = time;
    }

    /// <summary>Starts <paramref name="start"/>'s process and waits until <paramref name="port"/> (and the metrics
    /// port, if any) accept; a process that exits first, or a port that never opens, is a <see cref="ServerStartException"/>.</summary>
    internal static async Task<RunningServer> StartAsync(string name, Func<ChildProcess> start, int port, int? metricsPort,
        ServerLaunch launch, CancellationToken ct)
    {
        long started = launch.Time.GetTimestamp();
        var child = start();
        try
        {
            await WaitUntilAcceptingAsync(child, port, launch.StartTimeout, launch.Time, ct);
            if (metricsPort is { } m) await WaitUntilAcceptingAsync(child, m, launch.StartTimeout, launch.Time, ct);
        }
        catch
        {
            child.Dispose();
            throw;
        }
        return new RunningServer(child, name, port, metricsPort, launch.Time)
        {
            StartupTime = launch.Time.GetElapsedTime(started),
            IdleFigures = ProcessFigures.Read(child.Id),
            StartupLines = child.Stdout.Lines,
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

    /// <summary>What the server logged before it accepted (e.g. the connection ceiling it computed): kept from the
    /// start, since the bounded output tail forgets early lines of a chatty server.</summary>
    public IReadOnlyList<string> StartupLines { get; private init; } = [];

    internal ServerTimeline StartSampling() => new(_child.Id, _time, TimeSpan.FromSeconds(1));

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

/// <summary>The server did not come up: the comparison records it for that server and goes on.</summary>
public sealed class ServerStartException(string message, string outputTail) : Exception(message)
{
    public string OutputTail { get; } = outputTail;
}

/// <summary>The comparison as a whole cannot go on (e.g. a child cannot even be started).</summary>
public sealed class ComparisonAbortedException(string message) : Exception(message);
