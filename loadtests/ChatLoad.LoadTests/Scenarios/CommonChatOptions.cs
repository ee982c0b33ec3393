using System.Net;
using ChatLoad.LoadEngine;
using ChatLoad.LoadClient;

namespace ChatLoad.LoadTests.Scenarios;

/// <summary>The settings every chat scenario takes: where the server is, how clients connect, how the run ends.</summary>
internal sealed record CommonChatOptions
{
    /// <summary>Default <c>--target</c>: the server's default port on loopback.</summary>
    public const string DefaultTarget = "127.0.0.1:6667";

    public static readonly string[] Keys =
    [
        "metrics", "source-ips", "connect-rate", "connect-concurrency", "connect-timeout", "response-timeout", "drain",
        "cleanup-timeout", "loss-thresholds",
    ];

    public required IPEndPoint Target { get; init; }

    /// <summary><c>--set metrics=HOST:PORT</c>: the server's Prometheus endpoint; null = no server figures.</summary>
    public string? MetricsAddress { get; init; }

    /// <summary><c>--set source-ips=N</c>: spread clients over 127.0.0.1..N; 0 (default) = as many as the client count needs.</summary>
    public int SourceAddresses { get; init; }

    public ConnectPacing Pacing { get; init; } = new();
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--set drain=3s</c>: after the load stops, how long to wait for messages still in flight before the
    /// missing ones count as lost. Default 3 s: far beyond any healthy delivery latency, and together with
    /// <see cref="CleanupTimeout"/> inside the engine's 10 s limit for a scenario's clean.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>--set cleanup-timeout=5s</c>: the most clean may spend quitting clients before closing the rest
    /// without waiting. Default 5 s (see <see cref="Drain"/>).</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--set loss-thresholds=false</c> drops the default <c>lost == 0</c>, <c>out of order == 0</c>,
    /// <c>duplicates == 0</c> thresholds (e.g. for a run meant to find where a server breaks).</summary>
    public bool LossThresholds { get; init; } = true;

    public static CommonChatOptions Read(ScenarioSettings settings, ScenarioOptionsReader reader) => new()
    {
        Target = IrcLoadClientOptions.ParseEndPoint(settings.Target ?? DefaultTarget),
        MetricsAddress = reader.String("metrics"),
        SourceAddresses = reader.Int("source-ips", 0, 0, 254),
        Pacing = new ConnectPacing
        {
            RatePerSecond = reader.Double("connect-rate", 1000, 1, 100_000),
            MaxInFlight = reader.Int("connect-concurrency", 256, 1, 10_000),
        },
        ConnectTimeout = reader.Duration("connect-timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
        ResponseTimeout = reader.Duration("response-timeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
        Drain = reader.Duration("drain", TimeSpan.FromSeconds(3), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        CleanupTimeout = reader.Duration("cleanup-timeout", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
        LossThresholds = reader.Bool("loss-thresholds", true),
    };
}
