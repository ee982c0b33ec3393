namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Walks the plan: per server under test, per scenario a fresh server process (so one scenario's leftovers — heap
/// high-water marks, sockets in TIME_WAIT — do not colour the next one's figures), each rung up the ladder (a
/// saturation search expands into its probes), each repeat. After every rung the server is checked; a failed rung
/// is recorded with its error and the server restarted before the next. Every wait is bounded, and so is the whole run.
/// </summary>
internal sealed class ComparisonRunner(ComparisonOptions options, ComparisonPlan plan, TimeProvider time, TextWriter log,
    IReadOnlyList<IServerUnderTest>? servers = null)
{
    private readonly List<RungOutcome> _outcomes = [];
    private readonly List<ServerLifetime> _lifetimes = [];
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
        var underTest = servers ?? ServersUnderTest.For(options, paths.ServerDll);
        log.WriteLine($"servers: {string.Join("; ", underTest.Select(s => $"{s.Name} ({s.Description})"))}");
        log.WriteLine($"pinning: {pinning.Description}");
        log.WriteLine($"report folder: {outputRoot}");

        var startedAt = time.GetUtcNow();
        var progress = new ComparisonProgress(plan, time, log);
        var setup = new Setup(paths, pinning, outputRoot, new RungRunner(paths.LoadDll, pinning, outputRoot, time, ClusterGenerators.From(options)),
            options.MaxWallTime ?? plan.Estimate * 2 + TimeSpan.FromMinutes(2), progress);

        foreach (var server in underTest.Where(s => plan.Servers.Contains(s.Name)))
            foreach (var scenario in plan.Scenarios)
                await RunLadderAsync(server, scenario, setup, ct);

        return new ComparisonResults
        {
            Plan = plan,
            Environment = environment with { ServersUnderTest = underTest.Select(s => new ServerDescription(s.Name, s.Description, s.IsOurs)).ToArray() },
            Outcomes = _outcomes,
            ServerProcesses = _lifetimes,
            Started = startedAt,
            WallTime = progress.Elapsed,
            StoppedEarly = _stoppedEarly,
            SloP99Ms = options.SloP99Ms,
            References = ReferenceServerInfo.For(plan.Servers),
        };
    }

    /// <summary>One scenario's ladder on one server, with its own process (restarted after any failed rung).</summary>
    private async Task RunLadderAsync(IServerUnderTest underTest, string scenario, Setup setup, CancellationToken ct)
    {
        RunningServer? server = null;
        int consecutiveFailures = 0;
        string name = underTest.Name;
        try
        {
            foreach (var run in plan.Runs().Where(r => r.Server == name && r.Rung.Scenario == scenario))
            {
                string? skip = ct.IsCancellationRequested ? "skipped: the comparison was interrupted"
                    : setup.Progress.Elapsed > setup.Deadline ? _stoppedEarly = $"skipped: the whole-run bound of {PlanPrinter.Format(setup.Deadline)} was reached"
                    : consecutiveFailures >= options.StopLadderAfterConsecutiveFailures ? $"skipped: {name} failed the {consecutiveFailures} rungs below"
                    : null;
                IReadOnlyList<RungOutcome> outcomes;
                if (skip is not null)
                {
                    outcomes = [Skipped(run, skip)];
                    setup.Progress.Report(outcomes[0]);
                }
                else
                {
                    try
                    {
                        server ??= await StartServerAsync(underTest, scenario, setup, ct);
                        if (server is null)
                        {
                            outcomes = [new RungOutcome { Server = name, Rung = run.Rung, Repeat = run.Repeat, Failure = "server did not start", FailureDetail = _lifetimes[^1].StartFailure }];
                            setup.Progress.Report(outcomes[0]);
                        }
                        else if (run.Rung.Search is not null)
                        {
                            var search = new SaturationSearch(setup.Rungs, plan.ConfirmRepeats, setup.Progress.Report, async old =>
                            {
                                await StopServerAsync(old, scenario, died: old.IsAlive ? null : $"exit code {old.ExitCode}");
                                return await StartServerAsync(underTest, scenario, setup, ct);
                            });
                            try
                            {
                                outcomes = await search.RunAsync(run, server, () => ct.IsCancellationRequested || setup.Progress.Elapsed > setup.Deadline, ct);
                            }
                            finally
                            {
                                server = search.Server; // the one the search ended on, stopped below
                            }
                            if (outcomes.Count == 0)
                                outcomes = [Skipped(run, "skipped: no probe could run")];
                        }
                        else
                        {
                            outcomes = [WithServerDeath(await setup.Rungs.RunAsync(run, server, ct), server)];
                            setup.Progress.Report(outcomes[0]);
                        }
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // Ctrl+C: what ran so far still makes a report; the rest is marked as not run.
                        outcomes = [Skipped(run, "skipped: the comparison was interrupted")];
                    }
                    // A search whose probes miss the service level has not failed: missing it is what it looks for.
                    bool failed = run.Rung.Search is null ? outcomes.Any(o => !o.Succeeded) : outcomes.All(o => o.Figures is null);
                    consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
                }
                _outcomes.AddRange(outcomes);

                // After a failure the server may be wedged or dead: the next rung gets a fresh one.
                if (server is not null && (!server.IsAlive || (run.Rung.Search is null && outcomes.Any(o => !o.Succeeded && !o.Skipped)) || run.Rung.Search is not null))
                {
                    // A search leaves the server loaded to its limit: the next rung starts on a fresh one too.
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

    internal static RungOutcome WithServerDeath(RungOutcome outcome, RunningServer server)
    {
        if (server.IsAlive) return outcome;
        string died = $"the {server.Name} server died during the rung (exit code {server.ExitCode})";
        return outcome with
        {
            Failure = outcome.Failure is null ? died : outcome.Failure.Contains(died) ? outcome.Failure : $"{died}; {outcome.Failure}",
            FailureDetail = $"server output:\n{server.OutputTail}\n{outcome.FailureDetail}",
        };
    }

    private async Task<RunningServer?> StartServerAsync(IServerUnderTest underTest, string scenario, Setup setup, CancellationToken ct)
    {
        string logDir = Path.Combine(setup.OutputRoot, "servers");
        Directory.CreateDirectory(logDir);
        string logPath = Path.Combine(logDir, $"{underTest.Name}-{scenario}-{_lifetimes.Count(s => s.Server == underTest.Name && s.Scenario == scenario) + 1}.log");
        try
        {
            var launch = new ServerLaunch(setup.Pinning.ServerCores, logPath, options.ServerStartTimeout, time, options.ServerMaxClients);
            var server = await underTest.StartAsync(launch, ct);
            log.WriteLine($"  {underTest.Name} server up on port {server.Port}" + (server.MetricsPort is { } m ? $" (metrics {m})" : " (no metrics endpoint: /proc sampling)") +
                          $" in {server.StartupTime.TotalSeconds:0.0} s" + (server.IdleFigures is { } f ? $", idle {f.RssMb:0} MB RSS, {f.Threads} threads" : ""));
            return server;
        }
        catch (ServerStartException ex)
        {
            _lifetimes.Add(new ServerLifetime(underTest.Name, scenario, 0, underTest.Description, TimeSpan.Zero, null, null, null, $"{ex.Message}\n{ex.OutputTail}", null));
            log.WriteLine($"  {underTest.Name} server did not start: {ex.Message}");
            return null;
        }
    }

    private async Task StopServerAsync(RunningServer server, string scenario, string? died)
    {
        var stop = await server.StopAsync(options.ServerStopTimeout);
        _lifetimes.Add(new ServerLifetime(server.Name, scenario, server.Port, server.CommandLine, server.StartupTime,
            server.IdleFigures?.RssMb, server.IdleFigures?.Threads, stop, null, died)
        {
            CeilingLine = server.StartupLines.FirstOrDefault(l => l.Contains("ceiling", StringComparison.OrdinalIgnoreCase)),
        });
        log.WriteLine($"  {server.Name} server {stop.Describe()}");
        await server.DisposeAsync();
    }

    private static RungOutcome Skipped(PlannedRun run, string reason) =>
        new() { Server = run.Server, Rung = run.Rung, Repeat = run.Repeat, Failure = reason, Skipped = true };
}
