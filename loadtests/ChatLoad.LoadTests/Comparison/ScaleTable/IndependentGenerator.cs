using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>
/// The independent load generator (loadtests/independent-generator, C, one epoll thread, no code shared with the
/// suite) as the table runs it: built with make when its source is newer, started pinned to the generator's cores,
/// watched for its phase lines so the server's CPU and RSS are read over exactly its measured window, and its JSON
/// result read back.
/// </summary>
internal sealed class IndependentGenerator(string binary)
{
    public const string Folder = "loadtests/independent-generator";
    public const string Name = "independent";

    /// <summary>How often the phase lines are looked for. Default 20 ms: the window's edges are then within 0.2% of a
    /// 10 s run.</summary>
    private static readonly TimeSpan PhasePoll = TimeSpan.FromMilliseconds(20);

    public string Binary => binary;

    /// <summary>Builds the generator (make, idempotent) under the repository holding <paramref name="loadDll"/> and
    /// returns it; a missing compiler or a failed build is a clear error.</summary>
    public static IndependentGenerator Build(string loadDll)
    {
        string root = BuildPaths.FindRepositoryRoot(Path.GetDirectoryName(Path.GetFullPath(loadDll))!)
            ?? throw new ComparisonAbortedException($"the repository (ChatLoad.sln) was not found above {loadDll}: the independent generator's source lives there");
        string dir = Path.Combine(root, Folder);
        var psi = new ProcessStartInfo("make", ["-s", "-C", dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var make = Process.Start(psi)!;
            string err = make.StandardError.ReadToEnd();
            make.StandardOutput.ReadToEnd();
            if (!make.WaitForExit(60_000) || make.ExitCode != 0)
                throw new ComparisonAbortedException($"building the independent generator failed (make -C {dir}): {err.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ComparisonAbortedException($"make is not installed ({ex.Message}): scripts/lib/ensure-deps.sh installs gcc and make");
        }
        return new IndependentGenerator(Path.Combine(dir, "bin", "chatload-gen"));
    }

    public static IReadOnlyList<string> Arguments(ScaleRow row, int port, int clients, string jsonPath)
    {
        string S(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "--mode", row.Kind switch { ScaleRowKind.Idle => "idle", ScaleRowKind.Fanout => "fanout", _ => "connect" },
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--clients", clients.ToString(CultureInfo.InvariantCulture),
            "--room-size", row.RoomSize.ToString(CultureInfo.InvariantCulture),
            "--duration", S(row.Duration.TotalSeconds),
            "--json", jsonPath,
        };
        if (row.Rate is { } rate) args.AddRange(["--rate", S(rate)]);
        if (row.Kind == ScaleRowKind.Fanout) args.AddRange(["--warmup", S(row.WarmUp.TotalSeconds)]);
        return args;
    }

    /// <summary>Runs one row against <paramref name="server"/> and turns its JSON and the server's /proc into a measurement.</summary>
    public async Task<ScaleMeasurement> RunAsync(ScaleRow row, RunningServer server, ProcessFigures idle, int clients, string? cores,
        string dir, CancellationToken ct)
    {
        string json = Path.Combine(dir, "result.json");
        var args = Arguments(row, server.Port, clients, json);
        long started = Stopwatch.GetTimestamp();
        var basis = new ScaleMeasurement { Row = row.Id, Server = server.Name, Generator = Name, Clients = clients };
        await using var timeline = new ServerTimeline(server.Pid, TimeProvider.System, ServerTimeline.FineInterval);
        using var child = ChildProcess.Start(binary, args, cores, Path.Combine(dir, "console.txt"));
        basis = basis with { CommandLine = child.CommandLine, ResultPath = json };
        long? measuring = null, measured = null;
        ProcessFigures? atMeasured = null;
        var bound = TimeSpan.FromSeconds(90) + row.Duration + row.WarmUp;
        while (!child.HasExited && Stopwatch.GetElapsedTime(started) < bound)
        {
            ct.ThrowIfCancellationRequested();
            var lines = child.Stdout.Lines;
            if (measuring is null && lines.Any(l => l.StartsWith("phase: measuring", StringComparison.Ordinal)))
            {
                timeline.Sample();
                measuring = Stopwatch.GetTimestamp();
            }
            if (measured is null && lines.Any(l => l.StartsWith("phase: measured", StringComparison.Ordinal)))
            {
                // Read at once: the generator holds every connection for its --linger second after this line.
                atMeasured = timeline.Sample();
                measured = Stopwatch.GetTimestamp();
            }
            await Task.Delay(PhasePoll, ct);
        }
        if (!child.HasExited)
        {
            child.KillTree();
            return basis with { Failure = $"no result within {bound.TotalSeconds:0} s (killed)", WallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        }
        if (child.ExitCode != 0 || !File.Exists(json))
            return basis with
            {
                Failure = $"exited with code {child.ExitCode}: {child.Stderr.Last(3)}",
                WallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            };
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var m = Read(doc.RootElement, basis, row);
        var window = measuring is { } a && measured is { } b ? timeline.CpuBetween(a, b) : null;
        double? rss = atMeasured?.RssMb;
        int held = m.Held ?? clients;
        return m with
        {
            ServerCpuPercent = window?.Percent,
            ServerCpuSeconds = window?.Seconds,
            ServerCpuWindow = "the generator's measured window",
            IdleRssMb = idle.RssMb,
            RssMb = rss,
            RssPerClientKb = rss is { } r && held > 0 ? (r - idle.RssMb) * 1024 * 1024 / 1000 / held : null,
            RssWhen = "at the end of the measured time, every client still connected",
            ServerThreads = atMeasured?.Threads,
            DeliveriesPerServerCpuSecond = m.DeliveriesPerSecond is { } d && window is { Percent: > 0 } w ? d / (w.Percent / 100) : null,
            WallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
        };
    }

    /// <summary>The generator's JSON (format 1) as a measurement; the server figures are added by the caller.</summary>
    internal static ScaleMeasurement Read(JsonElement r, ScaleMeasurement basis, ScaleRow row)
    {
        var self = r.GetProperty("self");
        var lag = self.GetProperty("schedule_lag");
        var m = basis with
        {
            GeneratorCpuPercent = self.GetProperty("cpu_percent_measured").GetDouble(),
            GeneratorSaturated = self.GetProperty("saturated").GetBoolean(),
            GeneratorNote = FormattableString.Invariant(
                $"schedule lag p99 {lag.GetProperty("p99_ms").GetDouble():0.##} ms, late {100 * self.GetProperty("late_fraction").GetDouble():0.##}%") +
                (self.GetProperty("schedule_slipped").GetBoolean() ? " (schedule slipped: descheduled or pushed back)" : "") +
                (self.TryGetProperty("descheduled", out JsonElement descheduled) && descheduled.GetBoolean()
                    ? FormattableString.Invariant($" (descheduled: {self.GetProperty("runqueue_wait_seconds_measured").GetDouble():0.##} s on the run queue)")
                    : ""),
            Failed = r.GetProperty("failed").GetInt64(),
        };
        switch (row.Kind)
        {
            case ScaleRowKind.Fanout:
                var f = r.GetProperty("fanout");
                var lat = f.GetProperty("latency");
                return m with
                {
                    DeliveriesPerSecond = f.GetProperty("deliveries_per_second").GetDouble(),
                    P50Ms = lat.GetProperty("p50_ms").GetDouble(),
                    P99Ms = lat.GetProperty("p99_ms").GetDouble(),
                    MaxMs = lat.GetProperty("max_ms").GetDouble(),
                    Lost = f.GetProperty("lost").GetInt64(),
                    Expected = f.GetProperty("expected").GetInt64(),
                    Duplicates = f.GetProperty("duplicates").GetInt64(),
                    Held = r.GetProperty("ready").GetInt32(),
                    GeneratorCpuUsPerDelivery = self.GetProperty("cpu_us_per_delivery").GetDouble(),
                };
            case ScaleRowKind.Idle:
                var i = r.GetProperty("idle");
                var ping = i.GetProperty("ping");
                return m with
                {
                    Held = i.GetProperty("held").GetInt32(),
                    PingP50Ms = ping.GetProperty("p50_ms").GetDouble(),
                    PingP99Ms = ping.GetProperty("p99_ms").GetDouble(),
                };
            default:
                var c = r.GetProperty("connect");
                var reg = c.GetProperty("register");
                return m with
                {
                    Held = c.GetProperty("joined").GetInt32(),
                    AchievedPerSecond = c.GetProperty("achieved_per_second").GetDouble(),
                    RegisterP50Ms = reg.GetProperty("p50_ms").GetDouble(),
                    RegisterP99Ms = reg.GetProperty("p99_ms").GetDouble(),
                };
        }
    }
}
