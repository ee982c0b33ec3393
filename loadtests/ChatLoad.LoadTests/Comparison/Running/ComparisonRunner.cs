namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Walks the plan: per mode, per scenario a fresh server (so one scenario's leftovers — heap high-water marks,
/// sockets in TIME_WAIT — do not colour the next one's figures), each rung up the ladder, each repeat. After every
/// rung the server is checked; a failed rung is recorded with its error and the server restarted before the next.
/// Every wait is bounded, and so is the whole run.
/// </summary>
internal sealed class ComparisonRunner(ComparisonOptions options, ComparisonPlan plan, TimeProvider time, TextWriter log)
{
    private readonly List<RungOutcome> _outcomes = [];
    private readonly List<ServerLifetime> _servers = [];
    private string? _stoppedEarly;

    /// <summary>What every rung of this comparison shares.</summary>
    private sealed record Setup(BuildPaths Paths, CpuPinning Pinning, string OutputRoot, RungRunner Rungs, TimeSpan Deadline, ComparisonProgress Progress);

    public async Task<ComparisonResults> RunAsync(CancellationToken ct)
    {
        string outputRoot = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(outputRoot);
        var paths = BuildPaths.Resolve(options);
        var pinning = CpuPinning.Decide(options.PinCores, Environment.ProcessorCount, CpuPinning.TasksetAvailable());
        var environment = RunEnvironment.Capture(pinning, paths.ServerDll, paths.LoadDll, options.CommandLine);
        log.WriteLine($"server: {paths.ServerDll}");
        log.WriteLine($"pinning: {pinning.Description}");
        log.WriteLine($"report folder: {outputRoot}");

        var startedAt = time.GetUtcNow();
        var progress = new ComparisonProgress(plan, time, log);
        var setup = new Setup(paths, pinning, outputRoot, new RungRunner(paths.LoadDll, pinning, outputRoot, time),
            options.MaxWallTime ?? plan.Estimate * 2 + TimeSpan.FromMinutes(2), progress);

        foreach (var mode in plan.Modes)
            foreach (var scenario in plan.Scenarios)
                await RunLadderAsync(mode, scenario, setup, ct);

        return new ComparisonResults
        {
            Plan = plan,
            Environment = environment,
            Outcomes = _outcomes,
            Servers = _servers,
            Started = startedAt,
            WallTime = progress.Elapsed,
            StoppedEarly = _stoppedEarly,
            References = ReferenceServerInfo.For(plan.Modes),
        };
    }

    /// <summary>One scenario's ladder in one mode, with its own server (restarted after any failed rung).</summary>
    private async Task RunLadderAsync(string mode, string scenario, Setup setup, CancellationToken ct)
    {
        ServerProcess? server = null;
        int consecutiveFailures = 0;
        try
        {
            foreach (var run in plan.Runs().Where(r => r.Mode == mode && r.Rung.Scenario == scenario))
            {
                string? skip = ct.IsCancellationRequested ? "skipped: the comparison was interrupted"
                    : setup.Progress.Elapsed > setup.Deadline ? _stoppedEarly = $"skipped: the whole-run bound of {PlanPrinter.Format(setup.Deadline)} was reached"
                    : consecutiveFailures >= options.StopLadderAfterConsecutiveFailures ? $"skipped: {mode} failed the {consecutiveFailures} rungs below"
                    : null;
                RungOutcome outcome;
                if (skip is not null)
                {
                    outcome = Skipped(run, skip);
                }
                else
                {
                    try
                    {
                        server ??= await StartServerAsync(mode, scenario, setup, ct);
                        outcome = server is null
                            ? new RungOutcome { Mode = mode, Rung = run.Rung, Repeat = run.Repeat, Failure = "server did not start", FailureDetail = _servers[^1].StartFailure }
                            : WithServerDeath(await setup.Rungs.RunAsync(run, server, ct), server);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // Ctrl+C: what ran so far still makes a report; the rest is marked as not run.
                        outcome = Skipped(run, "skipped: the comparison was interrupted");
                    }
                    consecutiveFailures = outcome.Succeeded ? 0 : consecutiveFailures + 1;
                }
                _outcomes.Add(outcome);
                setup.Progress.Report(outcome);

                // After a failure the server may be wedged or dead: the next rung gets a fresh one.
                if (!outcome.Succeeded && server is not null)
                {
                    await StopServerAsync(server, scenario, died: server.IsAlive ? null : $"exit code {server.ExitCode}");
                    server = null;
                }
            }
        }
        finally
        {
            if (server is not null) await StopServerAsync(server, scenario, died: null);
        }
    }

    private static RungOutcome WithServerDeath(RungOutcome outcome, ServerProcess server)
    {
        if (server.IsAlive) return outcome;
        string died = $"the {server.Mode} server died during the rung (exit code {server.ExitCode})";
        return outcome with
        {
            Failure = outcome.Failure is null ? died : $"{died}; {outcome.Failure}",
            FailureDetail = $"server output:\n{server.OutputTail}\n{outcome.FailureDetail}",
        };
    }

    private async Task<ServerProcess?> StartServerAsync(string mode, string scenario, Setup setup, CancellationToken ct)
    {
        string logDir = Path.Combine(setup.OutputRoot, "servers");
        Directory.CreateDirectory(logDir);
        string logPath = Path.Combine(logDir, $"{mode}-{scenario}-{_servers.Count(s => s.Mode == mode && s.Scenario == scenario) + 1}.log");
        try
        {
            string[] extraArgs = options.ServerMaxClients is { } max ? ["--max-clients", max.ToString()] : [];
            // The seam between ChatLoad's own modes and the reference servers: both come back as a ServerProcess.
            var server = ReferenceServers.Find(mode) is { } reference
                ? await ReferenceServerLauncher.StartAsync(reference, setup.Pinning.ServerCores, logPath, Path.ChangeExtension(logPath, ".config"),
                    options.ServerStartTimeout, time, ct)
                : await ServerProcess.StartAsync(setup.Paths.ServerDll, mode, extraArgs, setup.Pinning.ServerCores, logPath, options.ServerStartTimeout, time, ct);
            log.WriteLine($"  {mode} server up on port {server.Port} ({(server.MetricsPort is { } m ? $"metrics {m}" : "figures from /proc")}) in {server.StartupTime.TotalSeconds:0.0} s" +
                          (server.IdleFigures is { } f ? $", idle {f.RssMb:0} MB RSS, {f.Threads} threads" : ""));
            return server;
        }
        catch (ServerStartException ex)
        {
            _servers.Add(new ServerLifetime(mode, scenario, 0, ReferenceServers.Find(mode)?.Title ?? setup.Paths.ServerDll, TimeSpan.Zero, null, null, null, $"{ex.Message}\n{ex.OutputTail}", null));
            log.WriteLine($"  {mode} server did not start: {ex.Message}");
            return null;
        }
    }

    private async Task StopServerAsync(ServerProcess server, string scenario, string? died)
    {
        var stop = await server.StopAsync(options.ServerStopTimeout);
        _servers.Add(new ServerLifetime(server.Mode, scenario, server.Port, server.CommandLine, server.StartupTime,
            server.IdleFigures?.RssMb, server.IdleFigures?.Threads, stop, null, died));
        log.WriteLine($"  {server.Mode} server {stop.Describe()}");
        await server.DisposeAsync();
    }

    private static RungOutcome Skipped(PlannedRun run, string reason) =>
        new() { Mode = run.Mode, Rung = run.Rung, Repeat = run.Repeat, Failure = reason, Skipped = true };
}
