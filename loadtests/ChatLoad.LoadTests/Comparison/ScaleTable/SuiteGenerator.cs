using System.Diagnostics;
using System.Globalization;

namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>
/// The load suite's own generator on a row of the table: one load CLI process running the chat scenario that row
/// matches (idle-hold, room-chat, connect-storm), its result read with the comparison's own <see cref="RungFigures"/>,
/// the server read from /proc by the table itself exactly as for the independent generator. The suite prints no
/// phase lines, so the server's CPU is taken over the busiest window as long as the measured time (under a steady
/// load, that window), and its memory at its peak.
/// </summary>
internal sealed class SuiteGenerator(string loadDll)
{
    public const string Name = "suite";

    public static RungSpec Rung(ScaleRow row, int clients) => row.Kind switch
    {
        // 100 PINGs/s in total, as the independent generator samples by default.
        ScaleRowKind.Idle => new RungSpec("idle-hold", clients, row.Duration, 100)
        {
            Settings = new Dictionary<string, string> { ["room-size"] = row.RoomSize.ToString(CultureInfo.InvariantCulture) },
        },
        ScaleRowKind.Fanout => new RungSpec("room-chat", clients, row.Duration, row.Rate)
        {
            WarmUp = row.WarmUp,
            Settings = new Dictionary<string, string> { ["room-size"] = row.RoomSize.ToString(CultureInfo.InvariantCulture) },
        },
        _ => new RungSpec("connect-storm", clients, row.Duration, row.Rate),
    };

    public static IReadOnlyList<string> Arguments(RungSpec rung, int port, string dir) =>
        RungRunner.LoadCommandLine(rung, port, rung.Clients, dir, "json,txt");

    public async Task<ScaleMeasurement> RunAsync(ScaleRow row, RunningServer server, ProcessFigures idle, int clients, string? cores,
        string dir, CancellationToken ct)
    {
        var rung = Rung(row, clients);
        long started = Stopwatch.GetTimestamp();
        var basis = new ScaleMeasurement { Row = row.Id, Server = server.Name, Generator = Name, Clients = clients };
        ServerTimeline timeline = new(server.Pid, TimeProvider.System, ServerTimeline.FineInterval);
        SampledServerFigures sampled;
        var bound = RunTimeEstimate.HardTimeout(rung) + TimeSpan.FromSeconds(30);
        using var child = ChildProcess.StartDotnet(loadDll, Arguments(rung, server.Port, dir), cores, Path.Combine(dir, "console.txt"));
        basis = basis with { CommandLine = child.CommandLine, ResultPath = Path.Combine(dir, "result.json") };
        bool exited = await child.WaitForExitAsync(bound, ct);
        await timeline.DisposeAsync();
        sampled = new SampledServerFigures(timeline.PeakThreads, timeline.PeakRssMb, 0);
        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!exited)
        {
            child.KillTree();
            return basis with { Failure = $"no result within {bound.TotalSeconds:0} s (killed)", WallSeconds = wall };
        }
        var result = RunResultFile.TryRead(basis.ResultPath, out string? error);
        if (result is null)
            return basis with { Failure = $"exit code {child.ExitCode}: {error}; {child.Stderr.Last(3)}", WallSeconds = wall };
        var f = RungFigures.From(result, rung, idle, sampled);
        var window = timeline.BusiestWindow(row.Kind == ScaleRowKind.Connect && row.Rate is { } r ? TimeSpan.FromSeconds(Math.Max(1, clients / r)) : row.Duration);
        int held = clients - (int)f.ConnectFailures;
        double? rssMb = sampled.MaxRssMb > 0 ? sampled.MaxRssMb : null;
        var m = basis with
        {
            ServerCpuPercent = window?.Percent,
            ServerCpuSeconds = window?.Seconds,
            ServerCpuWindow = "the busiest window as long as the measured time",
            IdleRssMb = idle.RssMb,
            RssMb = rssMb,
            RssPerClientKb = rssMb is { } rss && held > 0 && row.Kind == ScaleRowKind.Idle ? (rss - idle.RssMb) * 1024 * 1024 / 1000 / held : null,
            RssWhen = "peak over the run",
            ServerThreads = sampled.MaxThreads,
            GeneratorCpuPercent = f.GeneratorCpuPercent,
            GeneratorSaturated = f.GeneratorSaturated,
            GeneratorNote = string.Join("; ", f.GeneratorWarnings.Select(w => w.Length > 120 ? w[..120] + "…" : w)),
            Held = held,
            Failed = f.ConnectFailures + (row.Kind == ScaleRowKind.Connect ? f.Failures : 0),
            WallSeconds = wall,
        };
        return row.Kind switch
        {
            ScaleRowKind.Fanout => m with
            {
                DeliveriesPerSecond = f.Throughput,
                DeliveriesPerServerCpuSecond = window is { Percent: > 0 } w ? f.Throughput / (w.Percent / 100) : null,
                P50Ms = f.P50Ms,
                P99Ms = f.P99Ms,
                MaxMs = f.MaxMs,
                Lost = f.Lost,
                Expected = f.Expected,
                GeneratorCpuUsPerDelivery = f.Throughput > 0 ? f.GeneratorCpuPercent / 100 / f.Throughput * 1e6 : null,
            },
            ScaleRowKind.Idle => m with { PingP50Ms = f.P50Ms, PingP99Ms = f.P99Ms },
            _ => m with { AchievedPerSecond = f.Throughput, RegisterP50Ms = f.P50Ms, RegisterP99Ms = f.P99Ms, Held = (int)(f.Iterations - f.Failures) },
        };
    }
}
