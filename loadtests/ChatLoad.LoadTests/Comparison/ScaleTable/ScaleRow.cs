namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>What a row of issue 9's table measures.</summary>
public enum ScaleRowKind
{
    /// <summary>Clients register, join rooms and hold: server RSS per client, PING round trips.</summary>
    Idle,

    /// <summary>Clients in rooms send PRIVMSG at a total rate: deliveries, latency, loss, server CPU.</summary>
    Fanout,

    /// <summary>Connect + register + join at an asked rate: the achieved rate, register latency, failures.</summary>
    Connect,
}

/// <summary>
/// One row of issue 9's scale table, run by both generators against every server it applies to. <see cref="Rate"/>
/// is in the row's own unit: PRIVMSG sent per second (fan-out; deliveries are that times room size − 1) or connects
/// per second asked (connect). Idle rows have no rate.
/// </summary>
public sealed record ScaleRow(string Id, string Figure, ScaleRowKind Kind, int Clients, int RoomSize, TimeSpan Duration)
{
    public double? Rate { get; init; }

    /// <summary>Fan-out: seconds of sending before the measured ones (JIT, cold caches on both sides).</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>The servers this row runs on, in report order; null = every server of the table.</summary>
    public IReadOnlyList<string>? OnlyServers { get; init; }

    /// <summary>Clients for a server whose wall is below <see cref="Clients"/> (threads' descriptor/thread ceiling).</summary>
    public IReadOnlyDictionary<string, int> ClientsFor { get; init; } = new Dictionary<string, int>();

    public int ClientsOn(string server) => ClientsFor.TryGetValue(server, out int n) ? n : Clients;

    public bool AppliesTo(string server) => OnlyServers is null || OnlyServers.Contains(server);

    /// <summary>The deliveries per second a fan-out row asks for: messages/s × (room size − 1).</summary>
    public double? AskedDeliveriesPerSecond => Kind == ScaleRowKind.Fanout && Rate is { } r ? r * (RoomSize - 1) : null;
}

/// <summary>
/// The table's presets. <see cref="Default"/> is issue 9's table (about 20–25 minutes on 2 cores with both
/// generators and six servers); <see cref="Tiny"/> is the same shape at a few hundred clients for a test.
/// </summary>
public static class ScaleTablePresets
{
    /// <summary>Our two models and the two Debian servers: the issue's columns.</summary>
    public static readonly IReadOnlyList<string> IssueServers = ["ngircd", "inspircd", "async", "threads"];

    /// <summary>The issue's columns and the two Python servers, which run the idle row, rooms of 10 and the connect storm
    /// at 3,000/s (the rest would show their interpreter's ceiling many times over, at a minute each).</summary>
    public static readonly IReadOnlyList<string> DefaultServers = [.. IssueServers, "py-threads", "py-asyncio"];

    /// <summary>threads' idle row: its ceiling on this machine is about 7,600 clients (a thread each, the
    /// descriptor limit 20,000 and vm.max_map_count 65,530), so it holds 7,000 rather than 10,000.</summary>
    public const int ThreadsIdleClients = 7_000;

    private static readonly string[] WithPython = ["ngircd", "inspircd", "async", "threads", "py-threads", "py-asyncio"];

    public static IReadOnlyList<ScaleRow> Default()
    {
        var fanoutTime = TimeSpan.FromSeconds(10);
        var warm = TimeSpan.FromSeconds(3);
        return
        [
            new("idle-10k", "server RSS per idle registered client, 10,000 in 100 channels", ScaleRowKind.Idle, 10_000, 100, TimeSpan.FromSeconds(10))
            {
                ClientsFor = new Dictionary<string, int> { ["threads"] = ThreadsIdleClients },
                OnlyServers = WithPython,
            },
            new("idle-19k", "async: 19,000 idle registered clients in 100 channels (PING p99 < 10 ms asked)", ScaleRowKind.Idle, 19_000, 190, TimeSpan.FromSeconds(10))
            {
                OnlyServers = ["async"],
            },
            new("rooms10-90k", "rooms of 10, 90,000 deliveries/s", ScaleRowKind.Fanout, 1_000, 10, fanoutTime) { Rate = 10_000, WarmUp = warm, OnlyServers = WithPython },
            new("rooms100-99k", "rooms of 100, 99,000 deliveries/s", ScaleRowKind.Fanout, 1_000, 100, fanoutTime) { Rate = 1_000, WarmUp = warm, OnlyServers = IssueServers },
            new("rooms100-198k", "rooms of 100, 198,000 deliveries/s", ScaleRowKind.Fanout, 1_000, 100, fanoutTime) { Rate = 2_000, WarmUp = warm, OnlyServers = IssueServers },
            new("room1000-100k", "one room of 1,000, 99,900 deliveries/s", ScaleRowKind.Fanout, 1_000, 1_000, fanoutTime) { Rate = 100, WarmUp = warm, OnlyServers = IssueServers },
            new("connect-3k", "connect + register + join, 6,000 at 3,000/s asked", ScaleRowKind.Connect, 6_000, 10, TimeSpan.FromSeconds(2)) { Rate = 3_000, OnlyServers = WithPython },
            new("connect-5k", "connect + register + join, 10,000 at 5,000/s asked", ScaleRowKind.Connect, 10_000, 10, TimeSpan.FromSeconds(2)) { Rate = 5_000, OnlyServers = IssueServers },
        ];
    }

    /// <summary>The same rows in miniature (a few seconds each), for the test that the command runs end to end.</summary>
    public static IReadOnlyList<ScaleRow> Tiny() =>
    [
        new("idle-tiny", "server RSS per idle registered client, 200 in rooms of 20", ScaleRowKind.Idle, 200, 20, TimeSpan.FromSeconds(1)),
        new("rooms10-tiny", "rooms of 10, 900 deliveries/s", ScaleRowKind.Fanout, 100, 10, TimeSpan.FromSeconds(2)) { Rate = 100, WarmUp = TimeSpan.FromSeconds(1) },
        new("connect-tiny", "connect + register + join, 100 at 200/s asked", ScaleRowKind.Connect, 100, 10, TimeSpan.FromSeconds(1)) { Rate = 200 },
    ];
}
