using System.Globalization;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>With <c>compare --cluster</c>: the agents that carry every rung's load.</summary>
/// <param name="NatsUrl">The NATS server the agents joined.</param>
/// <param name="Agents">How many agents each rung is spread over.</param>
internal sealed record ClusterGenerators(string NatsUrl, int Agents)
{
    /// <summary>How long a rung's coordinator waits for the agents. Default 30 s, as <c>--agent-wait</c>.</summary>
    public static readonly TimeSpan AgentWait = TimeSpan.FromSeconds(30);

    /// <summary>Added to a cluster rung's hard timeout besides <see cref="AgentWait"/>: clock probes, assignments and
    /// the collectives at the ends of init and clean, each a few NATS round trips that a busy machine can slow to
    /// seconds. Default 30 s.</summary>
    public static readonly TimeSpan Overhead = TimeSpan.FromSeconds(30);

    public static ClusterGenerators? From(ComparisonOptions options) => options.Cluster is { } url ? new(url, options.ClusterAgents) : null;
}

/// <summary>
/// Runs one rung as child processes of the load CLI (one per shard, so each rung starts fresh and its descriptors
/// and memory are its own), under a hard timeout, merges shard results, and turns what came back — or what went
/// wrong — into a <see cref="RungOutcome"/>. With <paramref name="cluster"/> the one child is a cluster coordinator:
/// the rung's load runs on the agents and the coordinator writes the merged result itself.
/// </summary>
internal sealed class RungRunner(string loadDll, CpuPinning pinning, string outputRoot, TimeProvider time, ClusterGenerators? cluster = null)
{
    /// <summary>Longest the shard merge may take. Default 2 min: merging is histogram arithmetic on a few files.</summary>
    public static readonly TimeSpan MergeTimeout = TimeSpan.FromMinutes(2);

    public async Task<RungOutcome> RunAsync(PlannedRun run, RunningServer server, CancellationToken ct)
    {
        var rung = run.Rung;
        string rate = rung.Search is not null && rung.Rate is { } r ? $"-{r:0}-per-s" : "";
        string relativeDir = Path.Combine("runs", run.Server, rung.Scenario, $"{rung.Clients}-clients{rate}-r{run.Repeat}");
        string dir = Path.Combine(outputRoot, relativeDir);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        long started = time.GetTimestamp();
        // A cluster rung may first wait for its agents, and its collectives cross NATS: that wait is added.
        var timeout = RunTimeEstimate.HardTimeout(rung) + (cluster is null ? TimeSpan.Zero : ClusterGenerators.AgentWait + ClusterGenerators.Overhead);

        var outcome = new RungOutcome { Server = run.Server, Rung = rung, Repeat = run.Repeat };
        SampledServerFigures sampled;
        var shards = new List<ChildProcess>();
        try
        {
            await using (var sampler = server.StartSampling())
            {
                for (int shard = 0; shard < rung.Shards; shard++)
                {
                    string shardDir = rung.Shards == 1 ? dir : Path.Combine(dir, $"shard-{shard}");
                    Directory.CreateDirectory(shardDir);
                    shards.Add(ChildProcess.StartDotnet(loadDll, LoadArguments(rung, server, shard, shardDir),
                        pinning.GeneratorCores, Path.Combine(shardDir, "console.txt")));
                }
                var exited = await Task.WhenAll(shards.Select(s => s.WaitForExitAsync(timeout, ct)));
                sampled = sampler.Result();
                if (exited.Any(e => !e))
                {
                    foreach (var s in shards) s.KillTree();
                    var hung = shards[Array.IndexOf(exited, false)];
                    return outcome with
                    {
                        Failure = $"timed out: no result after {timeout.TotalSeconds:0} s (killed)",
                        FailureDetail = Tail(hung),
                        WallTime = time.GetElapsedTime(started),
                    };
                }
            }

            int? exitCode = shards.Select(s => s.ExitCode).FirstOrDefault(c => c != 0) ?? 0;
            string resultPath = Path.Combine(dir, "result.json");
            if (rung.Shards > 1)
            {
                var merge = await MergeAsync(dir, rung.Shards, ct);
                if (merge is not null) return outcome with { Failure = "shard merge failed", FailureDetail = merge, ExitCode = exitCode, WallTime = time.GetElapsedTime(started) };
            }

            RunResult? result = RunResultFile.TryRead(resultPath, out string? readError);
            if (result is null)
            {
                var failing = shards.FirstOrDefault(s => s.ExitCode != 0) ?? shards[0];
                return outcome with
                {
                    Failure = exitCode != 0 ? $"load generator exited with code {exitCode} and wrote no result" : $"no usable result: {readError}",
                    FailureDetail = Tail(failing),
                    ExitCode = exitCode,
                    WallTime = time.GetElapsedTime(started),
                };
            }

            string? reportLink = ComparisonRunReports.Rerender(result, dir, outputRoot) is { } report
                ? Path.GetRelativePath(outputRoot, report).Replace('\\', '/')
                : null;
            var figures = RungFigures.From(result, rung, server.IdleFigures, sampled);
            var notes = new List<string>();
            notes.AddRange(figures.GeneratorWarnings.Select(w => "generator: " + w));
            notes.AddRange(figures.BrokenThresholds.Select(t => "threshold broken: " + t));
            if (rung.Shards > 1) notes.Add($"{rung.Shards} generator shards, merged");
            if (cluster is not null) notes.Add($"load on {cluster.Agents} agents over {cluster.NatsUrl}, merged" +
                (result.Cluster is { } c ? $" ({string.Join(", ", c.Agents.Select(a => $"{a.Name} {a.Status}"))})" : ""));
            if (figures.ConnectFailures > 0) notes.Add($"{figures.ConnectFailures:N0} clients could not connect" + (figures.SetupFailures is { } w ? $" ({w})" : ""));

            string? failure = RungFailure.Classify(exitCode ?? 0, figures, rung.Clients);
            string? detail = exitCode != 0 ? Tail(shards.First(s => s.ExitCode != 0)) : null;

            return outcome with
            {
                Figures = figures,
                ReportLink = reportLink,
                Notes = notes,
                ExitCode = exitCode,
                Failure = failure,
                FailureDetail = detail,
                WallTime = time.GetElapsedTime(started),
            };
        }
        finally
        {
            foreach (var s in shards) s.Dispose();
        }
    }

    private IReadOnlyList<string> LoadArguments(RungSpec rung, RunningServer server, int shard, string shardDir)
    {
        // The comparison renders each run's HTML itself, against one shared plotly.js (see ComparisonRunReports).
        var args = LoadCommandLine(rung, server.Port, ShareOf(rung.Clients, rung.Shards, shard), shardDir, "json,md,csv,txt");
        args.AddRange(["--name", $"{server.Name} {rung.Scenario} {rung.Clients} clients" + (rung.Rate is { } rr ? $" at {rr:0}/s" : "") + (rung.Shards > 1 ? $" shard {shard + 1}/{rung.Shards}" : "")]);
        // Only one shard scrapes the server: the figures are the server's, not the shard's, and must not be counted
        // twice. A server without a metrics endpoint is measured from /proc by the comparison (ServerTimeline).
        // On a cluster every agent gets the setting and only its first agent scrapes.
        if (shard == 0 && server.MetricsPort is { } metrics) args.AddRange(["--set", $"metrics=127.0.0.1:{metrics}"]);
        if (cluster is not null)
            args.AddRange(["--cluster", cluster.NatsUrl, "--agents", cluster.Agents.ToString(CultureInfo.InvariantCulture),
                "--agent-wait", $"{(int)ClusterGenerators.AgentWait.TotalSeconds}s"]);
        return args;
    }

    /// <summary>
    /// The load suite's command line for <paramref name="clients"/> of <paramref name="rung"/>'s clients (the rate
    /// scaled to their share), against 127.0.0.1:<paramref name="port"/>: the one place it is composed, for the
    /// comparison's shards and the scale table's suite generator alike.
    /// </summary>
    internal static List<string> LoadCommandLine(RungSpec rung, int port, int clients, string reportDir, string reportFormats)
    {
        var args = new List<string>
        {
            "--scenario", rung.Scenario,
            "--target", $"127.0.0.1:{port}",
            "--clients", clients.ToString(CultureInfo.InvariantCulture),
            "--duration", $"{(int)Math.Ceiling(rung.Duration.TotalSeconds)}s",
            "--report-dir", reportDir,
            "--report-format", reportFormats,
        };
        if (rung.WarmUp > TimeSpan.Zero) args.AddRange(["--warmup", $"{(int)Math.Ceiling(rung.WarmUp.TotalSeconds)}s"]);
        if (rung.Rate is { } rate)
        {
            double shareRate = rate * clients / rung.Clients;
            args.AddRange(["--rate", shareRate.ToString("0.###", CultureInfo.InvariantCulture)]);
        }
        foreach (var (key, value) in rung.Settings) args.AddRange(["--set", $"{key}={value}"]);
        return args;
    }

    /// <summary>Splits <paramref name="total"/> clients over shards as evenly as whole clients allow.</summary>
    public static int ShareOf(int total, int shards, int shard) => total / shards + (shard < total % shards ? 1 : 0);

    private async Task<string?> MergeAsync(string dir, int shards, CancellationToken ct)
    {
        var inputs = Enumerable.Range(0, shards).Select(i => Path.Combine(dir, $"shard-{i}", "result.json")).ToArray();
        var missing = inputs.Where(p => !File.Exists(p)).ToArray();
        if (missing.Length > 0) return $"shard results missing: {string.Join(", ", missing.Select(m => Path.GetRelativePath(dir, m)))}";
        using var merge = ChildProcess.StartDotnet(loadDll, ["merge", "--report-dir", dir, .. inputs], pinning.GeneratorCores,
            Path.Combine(dir, "merge-console.txt"));
        if (!await merge.WaitForExitAsync(MergeTimeout, ct)) return $"merge did not finish within {MergeTimeout.TotalSeconds:0} s";
        return merge.ExitCode == 0 ? null : $"merge exited with code {merge.ExitCode}: {Tail(merge)}";
    }

    private static string Tail(ChildProcess child)
    {
        string err = child.Stderr.Last();
        string output = child.Stdout.Last(4);
        return $"exit code {child.ExitCode?.ToString() ?? "none (killed)"}; command: {child.CommandLine}" +
               (err.Length > 0 ? $"\nstderr:\n{err}" : "") + (output.Length > 0 ? $"\nlast output:\n{output}" : "");
    }
}
