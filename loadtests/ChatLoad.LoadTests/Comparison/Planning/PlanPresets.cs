namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The ladders each preset climbs. Every scenario has a ladder in every preset; a preset also names the scenarios
/// it runs when <c>--scenarios</c> is not given. Client counts rise so that each mode meets its limits in order,
/// and the quick preset is sized to finish in about five minutes for both modes on a 2-core machine.
/// </summary>
public static class PlanPresets
{
    public static readonly IReadOnlyList<string> KnownScenarios =
        ["connect-storm", "idle-hold", "room-chat", "private-chat", "ping-pong", "slow-consumer", "churn"];

    /// <summary>Warm-up per rung (not counted). Default 1 s: enough for the JIT's first tier on both sides;
    /// smoke runs skip it, as they prove the pipeline rather than measure.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static ComparisonPlan Build(ComparisonOptions options)
    {
        var ladders = Ladders(options.Preset, options.SloP99Ms);
        var scenarios = options.Scenarios ?? DefaultScenarios(options.Preset);
        var warmUp = options.Preset == ComparisonPreset.Smoke ? TimeSpan.Zero : WarmUp;
        var rungs = scenarios
            .SelectMany(s => ladders[s])
            .Select(r => r with
            {
                // On a cluster the agents carry every rung; locally, large rungs are split over generator processes.
                Shards = options.Cluster is null ? ShardsFor(r.Clients, options.MaxClientsPerShard) : 1,
                // A connect storm's warm-up would open extra connections beyond the storm being measured.
                WarmUp = r.Scenario == "connect-storm" ? TimeSpan.Zero : warmUp,
            })
            .ToArray();
        // The quick preset's budget (about five minutes on two cores, build included) buys three runs at each
        // saturation point and one of every other point; --full repeats everything three times.
        int repeat = options.Repeat ?? (options.Preset == ComparisonPreset.Full ? 3 : 1);
        int confirm = options.Repeat ?? (options.Preset == ComparisonPreset.Smoke ? 1 : 3);
        return new ComparisonPlan(options.Preset, options.Servers, rungs, repeat) { ConfirmRepeats = confirm };
    }

    public static int ShardsFor(int clients, int maxClientsPerShard) =>
        Math.Max(1, (clients + maxClientsPerShard - 1) / maxClientsPerShard);

    private static IReadOnlyList<string> DefaultScenarios(ComparisonPreset preset) => preset switch
    {
        ComparisonPreset.Smoke => ["idle-hold", "room-chat"],
        ComparisonPreset.Quick => ["room-chat", "idle-hold", "connect-storm"],
        _ => KnownScenarios,
    };

    private static Dictionary<string, RungSpec[]> Ladders(ComparisonPreset preset, double slo) => preset switch
    {
        ComparisonPreset.Smoke => new()
        {
            ["connect-storm"] = [ConnectStorm(50, 100)],
            // 10 PINGs/s over 50 clients: each pings every 5 s, so even a CI machine at load 50 (PONGs taking over a
            // second, seen) does not find a client's previous PING still waiting; the smoke run proves the pipeline.
            ["idle-hold"] = [IdleHold(50, Seconds(2), pingsPerSecond: 10)],
            // Two probes: proves the search, its report and its chart end to end in seconds.
            ["room-chat"] = [RoomChatSearch(20, new SaturationSearchSpec { StartRate = 100, MaxRate = 200, BisectSteps = 0, SloP99Ms = slo, DeliveriesPerMessage = 9 }, Seconds(1))],
            ["private-chat"] = [PrivateChat(20, Seconds(2))],
            ["ping-pong"] = [PingPong(10, Seconds(2))],
            ["slow-consumer"] = [SlowConsumer(60, Seconds(5))],
            ["churn"] = [Churn(20, Seconds(2))],
        },
        ComparisonPreset.Quick => new()
        {
            ["connect-storm"] = [ConnectStorm(2_000, 1_000)],
            // Just past the threads model's ceiling on this machine (15,237 clients, from vm.max_map_count): the
            // quick run shows where thread-per-connection stops and async goes on, and what each client costs.
            ["idle-hold"] = [FastConnect(IdleHold(16_000, Seconds(4)))],
            // The central question: the highest message rate each model sustains within the SLO, at two client
            // counts. From 2,000 messages/s (18,000 deliveries/s) doubling to 32,000, one bisection: measured here,
            // both models' limits lie between 4,000 and 16,000 messages/s at 1,000 clients.
            ["room-chat"] = Ladder([100, 1_000], n => RoomChatSearch(n, QuickSearch(slo), Seconds(2))),
            ["private-chat"] = Ladder([100, 1_000], n => PrivateChat(n, Seconds(6))),
            ["ping-pong"] = Ladder([100, 1_000], n => PingPong(n, Seconds(4))),
            ["slow-consumer"] = [SlowConsumer(200, Seconds(8))],
            ["churn"] = [Churn(200, Seconds(6))],
        },
        _ => new()
        {
            ["connect-storm"] = Ladder([1_000, 5_000, 10_000], n => ConnectStorm(n, 2_000)),
            // The threads model's wall sits near 16,300 threads (vm.max_map_count / 4 mappings per thread) and
            // both models' near 20,000 descriptors: the top rungs straddle both.
            ["idle-hold"] = Ladder([100, 1_000, 2_000, 5_000, 10_000, 14_000, 16_000, 17_000, 19_000], n => IdleHold(n, Seconds(10))),
            ["room-chat"] = Ladder([100, 1_000, 2_000, 5_000], n => RoomChatSearch(n, QuickSearch(slo) with { MaxRate = 64_000, BisectSteps = 3 }, Seconds(5))),
            ["private-chat"] = Ladder([100, 1_000, 5_000], n => PrivateChat(n, Seconds(10))),
            ["ping-pong"] = Ladder([10, 100, 1_000, 5_000], n => PingPong(n, Seconds(10))),
            ["slow-consumer"] = Ladder([200, 1_000], n => SlowConsumer(n, Seconds(10))),
            ["churn"] = Ladder([100, 1_000], n => Churn(n, Seconds(10))),
        },
    };

    private static SaturationSearchSpec QuickSearch(double slo) =>
        new() { StartRate = 2_000, MaxRate = 32_000, BisectSteps = 1, SloP99Ms = slo, DeliveriesPerMessage = 9 };

    /// <summary>Room chat in rooms of 10 (every message fans out to 9 receivers), searched for its highest sustainable
    /// message rate. Probes are short (measured <paramref name="measured"/> after the warm-up) and carry no loss
    /// thresholds: loss is a finding of the search, not an error of the run.</summary>
    private static RungSpec RoomChatSearch(int clients, SaturationSearchSpec search, TimeSpan measured) =>
        new("room-chat", clients, measured)
        {
            Settings = new Dictionary<string, string> { ["room-size"] = "10", ["loss-thresholds"] = "false", ["drain"] = "2s" },
            Tail = ProbeTail,
            Search = search,
        };

    /// <summary>Connect storm: every client opened at a total rate (connects/s); the run lasts as long as that takes.</summary>
    private static RungSpec ConnectStorm(int clients, double connectsPerSecond) =>
        new("connect-storm", clients, TimeSpan.FromSeconds(Math.Ceiling(clients / connectsPerSecond)), Rate: connectsPerSecond) { Tail = StormHold };

    /// <summary>Idle hold: clients sit registered in rooms while 50 PINGs a second (enough samples for a p99) sample the server's responsiveness.</summary>
    private static RungSpec IdleHold(int clients, TimeSpan duration, double pingsPerSecond = 50) => new("idle-hold", clients, duration, Rate: pingsPerSecond);

    /// <summary>Room chat: one message per client per second in total (so the load grows with the ladder), into
    /// rooms of 10, so every message fans out to 9 receivers.</summary>
    private static RungSpec RoomChat(int clients, TimeSpan duration) =>
        new("room-chat", clients, duration, Rate: clients) { Settings = new Dictionary<string, string> { ["room-size"] = "10" }, Tail = Drain };

    /// <summary>Private chat: one PRIVMSG per client per second in total, between fixed pairs.</summary>
    private static RungSpec PrivateChat(int clients, TimeSpan duration) => new("private-chat", clients, duration, Rate: clients) { Tail = Drain };

    /// <summary>Ping-pong: closed model, each client as fast as the server answers (no rate).</summary>
    private static RungSpec PingPong(int clients, TimeSpan duration) => new("ping-pong", clients, duration);

    /// <summary>Slow consumer: room chat at the scenario's own rate (1,000 messages/s in total, 380-byte padding)
    /// while a tenth of the clients stop reading 1 s in: that much traffic for several seconds is what it takes to
    /// fill a slow reader's socket buffers and the server's send queue, so the server's dropping of them is seen
    /// (measured: 200 clients, 10 s, all 20 slow ones dropped by the async server).</summary>
    private static RungSpec SlowConsumer(int clients, TimeSpan duration) =>
        new("slow-consumer", clients, duration) { Settings = new Dictionary<string, string> { ["slow-after"] = "1s" }, Tail = Drain + DropCheck };

    /// <summary>Churn: closed model, this many clients at a time each connecting, chatting briefly and quitting.</summary>
    private static RungSpec Churn(int clients, TimeSpan duration) => new("churn", clients, duration) { Tail = Drain };

    // The chat suite's own defaults, for the estimate: drain of messages in flight (up to 3 s, less when all arrive
    // promptly), the slow-consumer drop check (2 s), the connect storm's hold (3 s).
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DropCheck = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StormHold = TimeSpan.FromSeconds(3);
    // A probe that holds its rate drains in well under a second; one that does not waits out its 2 s drain.
    private static readonly TimeSpan ProbeTail = TimeSpan.FromSeconds(0.5);

    /// <summary>Opens the clients at 2,000 connects/s instead of the suite's 1,000, so a rung of 16,000 spends 8 s, not
    /// 16, connecting.</summary>
    private static RungSpec FastConnect(RungSpec rung) =>
        rung with { Settings = new Dictionary<string, string>(rung.Settings) { ["connect-rate"] = "2000" } };

    private static RungSpec[] Ladder(int[] clients, Func<int, RungSpec> make) => clients.Select(make).ToArray();

    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);
}
