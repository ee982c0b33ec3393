namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Walks the plan: per mode, per scenario a fresh server (so one scenario's leftovers — heap high-water marks,
/// sockets in TIME_WAIT — do not colour the next one's figures), each rung up the ladder, each repeat. After every
/// rung the server is checked; a failed rung is recorded with its error and the server restarted before the next.
/// Every wait is bounded, and so is the whole run.
/// </summary>
internal sealed class ComparisonRunner(ComparisonOptions options, ComparisonPlan plan, TimeProvider time, TextWriter log)
{
    public async Task<ComparisonResults> RunAsync(CancellationToken ct)
    {
        string outputRoot = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(outputRoot);
        var paths = BuildPaths.Resolve(options);
        var pinning = CpuPinning.Decide(options.PinCores, Environment.ProcessorCount, CpuPinning.TasksetAvailable());
        var environment = RunEnvironment.Capture(pinning, paths.ServerDll, paths.LoadDll,
            "compare " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1).SkipWhile(a => a != "compare").Skip(1)));
        log.WriteLine($"server: {paths.ServerDll}");
        log.WriteLine($"pinning: {pinning.Description}");
        log.WriteLine($"report folder: {outputRoot}");

        var started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        var deadline = options.MaxWallTime ?? plan.Estimate * 2 + TimeSpan.FromMinutes(2);
        var rungs = new RungRunner(paths.LoadDll, pinning, outputRoot, time);
        var outcomes = new List<RungOutcome>();
        var servers = new List<ServerLifetime>();
        string? stoppedEarly = null;
        int done = 0;

        foreach (var mode in plan.Modes)
        {
            foreach (var scenario in plan.Scenarios)
            {
                var runs = plan.Runs().Where(r => r.Mode == mode && r.Rung.Scenario == scenario).ToArray();
                ServerProcess? server = null;
                int consecutiveFailures = 0;
                try
                {
                    foreach (var run in runs)
                    {
                        done++;
                        string? skip = null;
                        if (ct.IsCancellationRequested) skip = "skipped: the comparison was interrupted";
                        else if (time.GetElapsedTime(started) > deadline)
                            skip = stoppedEarly = $"skipped: the whole-run bound of {PlanPrinter.Format(deadline)} was reached";
                        else if (consecutiveFailures >= options.StopLadderAfterConsecutiveFailures)
                            skip = $"skipped: {mode} failed the {consecutiveFailures} rungs below";
                        if (skip is not null)
                        {
                            outcomes.Add(Skipped(run, skip));
                            Progress(done, started, outcomes[^1]);
                            continue;
                        }

                        RungOutcome outcome;
                        try
                        {
                            if (server is null)
                            {
                                (server, var startFailure) = await StartServerAsync(mode, scenario, paths.ServerDll, pinning, outputRoot, servers, ct);
                                if (server is null)
                                {
                                    outcomes.Add(new RungOutcome { Mode = mode, Rung = run.Rung, Repeat = run.Repeat, Failure = "server did not start", FailureDetail = startFailure });
                                    consecutiveFailures++;
                                    Progress(done, started, outcomes[^1]);
                                    continue;
                                }
                            }
                            outcome = await rungs.RunAsync(run, server, ct);
                        }
                        catch (OperationCanceledException) when (ct.IsCancellationRequested)
                        {
                            // Ctrl+C: what ran so far still makes a report; the rest is marked as not run.
                            outcomes.Add(Skipped(run, "skipped: the comparison was interrupted"));
                            Progress(done, started, outcomes[^1]);
                            continue;
                        }
                        if (!server.IsAlive)
                        {
                            string died = $"the {mode} server died during the rung (exit code {server.ExitCode})";
                            outcome = outcome with
                            {
                                Failure = outcome.Failure is null ? died : $"{died}; {outcome.Failure}",
                                FailureDetail = $"server output:\n{server.OutputTail}\n{outcome.FailureDetail}",
                            };
                        }
                        outcomes.Add(outcome);
                        Progress(done, started, outcome);
                        consecutiveFailures = outcome.Succeeded ? 0 : consecutiveFailures + 1;

                        // After a failure the server may be wedged or dead: the next rung gets a fresh one.
                        if (!outcome.Succeeded)
                        {
                            await StopServerAsync(server, scenario, servers, died: server.IsAlive ? null : $"exit code {server.ExitCode}");
                            server = null;
                        }
                    }
                }
                finally
                {
                    if (server is not null) await StopServerAsync(server, scenario, servers, died: null);
                }
            }
        }

        return new ComparisonResults
        {
            Plan = plan,
            Environment = environment,
            Outcomes = outcomes,
            Servers = servers,
            Started = startedAt,
            WallTime = time.GetElapsedTime(started),
            StoppedEarly = stoppedEarly,
        };
    }

    private async Task<(ServerProcess?, string?)> StartServerAsync(
        string mode, string scenario, string serverDll, CpuPinning pinning, string outputRoot, List<ServerLifetime> servers, CancellationToken ct)
    {
        string logDir = Path.Combine(outputRoot, "servers");
        Directory.CreateDirectory(logDir);
        string logPath = Path.Combine(logDir, $"{mode}-{scenario}-{servers.Count(s => s.Mode == mode && s.Scenario == scenario) + 1}.log");
        try
        {
            var server = await ServerProcess.StartAsync(serverDll, mode, pinning.ServerCores, logPath, options.ServerStartTimeout, time, ct);
            log.WriteLine($"  {mode} server up on port {server.Port} (metrics {server.MetricsPort}) in {server.StartupTime.TotalSeconds:0.0} s" +
                          (server.IdleFigures is { } f ? $", idle {f.RssMb:0} MB RSS, {f.Threads} threads" : ""));
            return (server, null);
        }
        catch (ServerStartException ex)
        {
            servers.Add(new ServerLifetime(mode, scenario, 0, serverDll, TimeSpan.Zero, null, null, null, ex.Message, null));
            log.WriteLine($"  {mode} server did not start: {ex.Message}");
            return (null, $"{ex.Message}\n{ex.OutputTail}");
        }
    }

    private async Task StopServerAsync(ServerProcess server, string scenario, List<ServerLifetime> servers, string? died)
    {
        var stop = await server.StopAsync(options.ServerStopTimeout);
        servers.Add(new ServerLifetime(server.Mode, scenario, server.Port, server.CommandLine, server.StartupTime,
            server.IdleFigures?.RssMb, server.IdleFigures?.Threads, stop, null, died));
        log.WriteLine($"  {server.Mode} server {stop.Describe()}");
        await server.DisposeAsync();
    }

    private static RungOutcome Skipped(PlannedRun run, string reason) =>
        new() { Mode = run.Mode, Rung = run.Rung, Repeat = run.Repeat, Failure = reason, Skipped = true };

    private void Progress(int done, long started, RungOutcome o)
    {
        var elapsed = time.GetElapsedTime(started);
        string what = $"{o.Mode,-7} {o.Rung.Label}{(plan.Repeat > 1 ? $" #{o.Repeat}" : "")}";
        string result = o.Succeeded ? Brief(o.Figures) : o.Skipped ? o.Failure! : $"FAILED: {o.Failure}";
        log.WriteLine($"[{done}/{plan.RunCount} {PlanPrinter.Format(elapsed)}] {what}: {result}");
    }

    private static string Brief(RungFigures? f)
    {
        if (f is null) return "ok";
        var parts = new List<string> { $"{f.Throughput:N0} {f.ThroughputUnit}" };
        if (f.P99Ms is { } p99) parts.Add($"p99 {p99:0.##} ms");
        if (f.LossPercent is { } loss) parts.Add($"loss {loss:0.##}%");
        if (f.ServerThreads is { } t) parts.Add($"{t:N0} threads");
        if (f.ServerRssMb is { } rss) parts.Add($"{rss:N0} MB");
        return string.Join(", ", parts);
    }
}
