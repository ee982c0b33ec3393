using System.Diagnostics;

namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>What <c>compare --scale-table</c> was asked to run.</summary>
public sealed record ScaleTableOptions
{
    public IReadOnlyList<ScaleRow> Rows { get; init; } = ScaleTablePresets.Default();
    public IReadOnlyList<string> Servers { get; init; } = ScaleTablePresets.DefaultServers;
    /// <summary>"independent", "suite" or both, in that order.</summary>
    public IReadOnlyList<string> Generators { get; init; } = [IndependentGenerator.Name, SuiteGenerator.Name];
    public string OutputDirectory { get; init; } = Path.Combine("reports", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss") + "-scale-table");
    public string? ServerDll { get; init; }
    public string? LoadDll { get; init; }
    public bool PinCores { get; init; } = true;
    /// <summary>Bound on the whole table; past it the remaining runs are recorded as skipped and the report written.
    /// Default 35 min: the default table takes 20–25 on 2 cores.</summary>
    public TimeSpan MaxWallTime { get; init; } = TimeSpan.FromMinutes(35);
    public string Preset { get; init; } = "default";
    public string CommandLine { get; init; } = "";
}

/// <summary>
/// Runs issue 9's table: for every row, every server it applies to and every generator, a fresh server (pinned to
/// the server's core), its empty RSS read after it settles, one generator run (pinned to the generator's core) with
/// the server's /proc sampled meanwhile, then SIGTERM. A server that will not start, or a generator that fails, is a
/// result for that cell and the table goes on.
/// </summary>
internal sealed class ScaleTableRunner(ScaleTableOptions options, TextWriter log)
{
    /// <summary>How long an idle server is left before its empty RSS is read. Default 1 s: start-up allocations
    /// (JIT, the thread pool's first threads) settle, as a server would before clients came.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    public async Task<ScaleTableResults> RunAsync(CancellationToken ct)
    {
        var paths = BuildPaths.Resolve(new ComparisonOptions { ServerDll = options.ServerDll, LoadDll = options.LoadDll });
        var independent = options.Generators.Contains(IndependentGenerator.Name) ? IndependentGenerator.Build(paths.LoadDll) : null;
        var suite = new SuiteGenerator(paths.LoadDll);
        var pinning = CpuPinning.Decide(options.PinCores, Environment.ProcessorCount, CpuPinning.TasksetAvailable());
        Directory.CreateDirectory(options.OutputDirectory);
        long started = Stopwatch.GetTimestamp();
        string loadBefore = LoadAverage();
        var measurements = new List<ScaleMeasurement>();
        foreach (var row in options.Rows)
        foreach (var server in options.Servers.Where(row.AppliesTo))
        foreach (var generator in options.Generators)
        {
            ct.ThrowIfCancellationRequested();
            int clients = row.ClientsOn(server);
            var skipped = new ScaleMeasurement { Row = row.Id, Server = server, Generator = generator, Clients = clients };
            if (Stopwatch.GetElapsedTime(started) > options.MaxWallTime)
            {
                measurements.Add(skipped with { Failure = $"skipped: the table passed --max-time {options.MaxWallTime.TotalMinutes:0} min" });
                continue;
            }
            string dir = Path.Combine(options.OutputDirectory, "runs", row.Id, server, generator);
            Directory.CreateDirectory(dir);
            var m = await RunOneAsync(row, server, generator, clients, independent, suite, paths.ServerDll, pinning, dir, ct);
            m = m with { LoadAverage = m.LoadAverage.Length > 0 ? m.LoadAverage : LoadAverage() };
            measurements.Add(m);
            log.WriteLine(ScaleTableReport.ConsoleLine(row, m));
        }
        return new ScaleTableResults
        {
            StartedUtc = DateTime.UtcNow - Stopwatch.GetElapsedTime(started),
            WallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            Preset = options.Preset,
            CommandLine = options.CommandLine,
            Pinning = pinning.Description,
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = LoadAverage(),
            IndependentGenerator = independent?.Binary ?? "",
            ServerDll = paths.ServerDll,
            Rows = options.Rows,
            Servers = options.Servers,
            Generators = options.Generators,
            Measurements = measurements,
        };
    }

    private static async Task<ScaleMeasurement> RunOneAsync(ScaleRow row, string serverName, string generator, int clients,
        IndependentGenerator? independent, SuiteGenerator suite, string serverDll, CpuPinning pinning, string dir, CancellationToken ct)
    {
        var basis = new ScaleMeasurement { Row = row.Id, Server = serverName, Generator = generator, Clients = clients, LoadAverage = LoadAverage() };
        IServerUnderTest server = ReferenceServers.Find(serverName) is { } reference
            ? new ReferenceServerUnderTest(reference)
            : new ChatLoadServer(serverName, serverDll);
        RunningServer running;
        try
        {
            running = await server.StartAsync(new ServerLaunch(pinning.ServerCores, Path.Combine(dir, "server.log"), TimeSpan.FromSeconds(30), TimeProvider.System), ct);
        }
        catch (ServerStartException ex)
        {
            return basis with { Failure = $"server did not start: {ex.Message}" };
        }
        await using (running)
        {
            await Task.Delay(SettleTime, ct);
            if (ProcessFigures.Read(running.Pid) is not { } idle) return basis with { Failure = $"server exited before the run: {running.OutputTail}" };
            var m = generator == IndependentGenerator.Name
                ? await independent!.RunAsync(row, running, idle, clients, pinning.GeneratorCores, dir, ct)
                : await suite.RunAsync(row, running, idle, clients, pinning.GeneratorCores, dir, ct);
            bool alive = running.IsAlive;
            var stop = await running.StopAsync(TimeSpan.FromSeconds(10));
            m = m with { LoadAverage = basis.LoadAverage };
            return alive ? m : m with { Failure = (m.Failure is null ? "" : m.Failure + "; ") + $"the server died during the run ({stop.Describe()})" };
        }
    }

    /// <summary>"0.52 1.10 3.40" from /proc/loadavg, or "" where there is none.</summary>
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return ""; }
    }
}

/// <summary>A whole table run: how it ran and every measurement (comparison-scale-table.json).</summary>
public sealed record ScaleTableResults
{
    public DateTime StartedUtc { get; init; }
    public double WallSeconds { get; init; }
    public string Preset { get; init; } = "";
    public string CommandLine { get; init; } = "";
    public string Pinning { get; init; } = "";
    public string LoadAverageBefore { get; init; } = "";
    public string LoadAverageAfter { get; init; } = "";
    public string IndependentGenerator { get; init; } = "";
    public string ServerDll { get; init; } = "";
    public IReadOnlyList<ScaleRow> Rows { get; init; } = [];
    public IReadOnlyList<string> Servers { get; init; } = [];
    public IReadOnlyList<string> Generators { get; init; } = [];
    public IReadOnlyList<ScaleMeasurement> Measurements { get; init; } = [];

    public ScaleMeasurement? Find(string row, string server, string generator) =>
        Measurements.FirstOrDefault(m => m.Row == row && m.Server == server && m.Generator == generator);
}
