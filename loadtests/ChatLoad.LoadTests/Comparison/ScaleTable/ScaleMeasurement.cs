namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>
/// What one generator saw of one server on one row, and what the server's /proc said meanwhile. Null figures were
/// not measured in that row's kind (or the run failed: <see cref="Failure"/> says why).
/// </summary>
public sealed record ScaleMeasurement
{
    public required string Row { get; init; }
    public required string Server { get; init; }
    /// <summary>"independent" (loadtests/independent-generator) or "suite" (the load suite's own scenarios).</summary>
    public required string Generator { get; init; }
    public int Clients { get; init; }
    public string? Failure { get; init; }

    // the server, from /proc
    public double? ServerCpuPercent { get; init; }
    public double? ServerCpuSeconds { get; init; }
    /// <summary>How the server-CPU window was chosen: the generator's own measured window, or the busiest one.</summary>
    public string ServerCpuWindow { get; init; } = "";
    public double? IdleRssMb { get; init; }
    public double? RssMb { get; init; }
    /// <summary>(RSS with the clients − RSS of the empty server) ÷ clients held, in KB (1,000 bytes).</summary>
    public double? RssPerClientKb { get; init; }
    public string RssWhen { get; init; } = "";
    public int? ServerThreads { get; init; }

    // fan-out
    public double? DeliveriesPerSecond { get; init; }
    public double? DeliveriesPerServerCpuSecond { get; init; }
    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }
    public long? Lost { get; init; }
    public long? Expected { get; init; }
    public long? Duplicates { get; init; }

    // idle
    public int? Held { get; init; }
    public double? PingP50Ms { get; init; }
    public double? PingP99Ms { get; init; }

    // connect
    public double? AchievedPerSecond { get; init; }
    public double? RegisterP50Ms { get; init; }
    public double? RegisterP99Ms { get; init; }
    public long? Failed { get; init; }

    // the generator itself
    public double? GeneratorCpuPercent { get; init; }
    public double? GeneratorCpuUsPerDelivery { get; init; }
    public bool GeneratorSaturated { get; init; }
    /// <summary>What the generator said of its own schedule (lag p99, late fraction), when it said anything.</summary>
    public string GeneratorNote { get; init; } = "";

    /// <summary>The generator did not keep its schedule (sends or connects late, with or without CPU to spare): on a
    /// shared machine a single-threaded generator is the first to be starved, since the scheduler shares a core per
    /// thread. Its latency and rate figures then describe the generator as much as the server.</summary>
    public bool ScheduleSlipped =>
        GeneratorNote.Contains("schedule slipped", StringComparison.Ordinal) ||
        GeneratorNote.Contains("started late", StringComparison.Ordinal) ||
        GeneratorNote.Contains("fired late", StringComparison.Ordinal);
    public string CommandLine { get; init; } = "";
    public string ResultPath { get; init; } = "";
    public double WallSeconds { get; init; }
    /// <summary>/proc/loadavg (1, 5, 15 minutes) as the run began: the machine is shared, figures need it beside them.</summary>
    public string LoadAverage { get; init; } = "";
}
