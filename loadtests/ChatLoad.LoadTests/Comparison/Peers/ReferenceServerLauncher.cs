using System.Diagnostics;
using System.Net;
using ChatLoad.LoadClient;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Starts a reference server the way the comparison starts its own: on a free loopback port, pinned with taskset
/// to the server's cores, in the foreground with its output in the run's server log; then waits until it accepts a
/// connection and registers a client exactly as the load client does (NICK, USER, 001). The result is a
/// <see cref="RunningServer"/> without a metrics port, stopped like any other: SIGTERM to its PID, then SIGKILL.
/// </summary>
internal static class ReferenceServerLauncher
{
    /// <summary>Longest the probe client may wait for 001. Default 10 s, the load client's own reply timeout:
    /// InspIRCd registers on a 1 Hz tick, so up to a second is normal there.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public static async Task<RunningServer> StartAsync(ReferenceServer server, string? cores, string logPath, string configDirectory,
        TimeSpan startTimeout, TimeProvider time, CancellationToken ct)
    {
        string program = server.FindProgram()
            ?? throw new ServerStartException($"{server.Program} is not installed (./scripts/compare.sh --peers installs it via scripts/lib/ensure-deps.sh)", "");
        int port = FreePort.Pick();
        var launch = server.Prepare(port, configDirectory);
        var running = await RunningServer.StartAsync(server.Name, () => ChildProcess.Start(program, launch.Arguments, cores, logPath, launch.Environment),
            port, metricsPort: null, new ServerLaunch(cores, logPath, startTimeout, time), ct);
        try
        {
            await RegisterProbeAsync(server, port, time, ct);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
        return running;
    }

    /// <summary>Accepting is not serving: a client must get through registration before the first rung starts.</summary>
    private static async Task RegisterProbeAsync(ReferenceServer server, int port, TimeProvider time, CancellationToken ct)
    {
        var options = new IrcLoadClientOptions
        {
            Server = new IPEndPoint(IPAddress.Loopback, port),
            Time = time,
            ConnectTimeout = ProbeTimeout,
            ResponseTimeout = ProbeTimeout,
        };
        await using var probe = new IrcLoadClient(0, "chatloadprobe", options);
        try
        {
            await probe.ConnectAsync(ct);
            await probe.RegisterAsync(ct);
        }
        catch (LoadClientException ex)
        {
            throw new ServerStartException($"{server.Name} accepted on port {port} but did not register a client: {ex.Message}", "");
        }
        await probe.QuitAsync("probe done");
    }

    /// <summary>The first line the program prints for its version ("ngIRCd 26.1-...", "Python 3.11.2"), or a reason
    /// it could not be read. Bounded: a program that does not answer within 5 s is left alone and killed.</summary>
    public static string Version(ReferenceServer server)
    {
        string? program = server.FindProgram();
        if (program is null) return "not installed";
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in server.VersionArguments) psi.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(5_000))
            {
                process.Kill(entireProcessTree: true);
                return "unknown (no answer to --version)";
            }
            string text = stdout.Result.Trim().Length > 0 ? stdout.Result : stderr.Result;
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"unknown ({ex.Message})";
        }
    }
}
