using ChatLoad.LoadTests.Comparison;
using static ChatLoad.LoadTests.Tests.Comparison.SyntheticRuns;

namespace ChatLoad.LoadTests.Tests.Comparison.Peers;

/// <summary>Reference servers on the command line, in the standings (where one beat ChatLoad, by how much) and in
/// the written reports, on synthetic figures.</summary>
public sealed class ReferenceReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "chatload-reference-report-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Peers_adds_every_reference_server_after_both_modes()
    {
        var o = ComparisonArgs.Parse(["--peers"]).Options!;
        Assert.Equal(["threads", "async", "ngircd", "inspircd", "py-threads", "py-asyncio"], o.Servers);
    }

    [Fact]
    public void Servers_picks_exactly_those_in_that_order()
    {
        var o = ComparisonArgs.Parse(["--servers", "py-asyncio,async"]).Options!;
        Assert.Equal(["py-asyncio", "async"], o.Servers);
    }

    [Theory]
    [InlineData("--servers: 'ergo' is unknown (known: threads, async, ngircd, inspircd, py-threads, py-asyncio)", "--servers", "async,ergo")]
    [InlineData("--servers names every server itself: drop --peers and --modes", "--servers", "async", "--peers")]
    [InlineData("--servers names every server itself: drop --peers and --modes", "--modes", "async", "--servers", "ngircd")]
    [InlineData("--modes: 'ngircd' is unknown", "--modes", "ngircd")]
    public void Bad_server_lists_are_clear_errors(string expected, params string[] args)
    {
        var result = ComparisonArgs.Parse(args);
        Assert.Null(result.Options);
        Assert.StartsWith(expected, result.Error);
    }

    // Idle RSS is 40 MB in SyntheticRuns, so RSS/client = (rss - 40) MB over the clients; every run delivers 10,000
    // messages, so deliveries per CPU-second = 10,000 / the CPU seconds /proc counted.
    private static RungOutcome[] Outcomes(string scenario) =>
    [
        Run("threads", 1_000, scenario, rssMb: 100, p99: 30, cpuSeconds: 6),   // 61 KB/client, 1,667 per CPU-second
        Run("async", 1_000, scenario, rssMb: 50, p99: 12, cpuSeconds: 5),      // 10.2 KB/client, 2,000 per CPU-second
        Run("ngircd", 1_000, scenario, rssMb: 43, p99: 30, cpuSeconds: 2),     // 3.07 KB/client, 5,000 per CPU-second
        Run("py-asyncio", 1_000, scenario, rssMb: 60, p99: 20, cpuSeconds: 9),
        Run("async", 50, scenario, rssMb: 41, p99: 2, cpuSeconds: 0.1),
        Run("ngircd", 50, scenario, rssMb: 40.05, p99: 2, cpuSeconds: 0.01),  // 1 vs 20 KB/client, but 50 clients are too few to tell
        Run("async", 2_000, scenario, rssMb: 60, p99: 12, cpuSeconds: 5),
        Failed("ngircd", 2_000, "2,000 of 2,000 clients could not connect", scenario: scenario),
    ];

    private static RungOutcome Run(string mode, int clients, string scenario, double rssMb, double p99, double cpuSeconds)
    {
        var outcome = Ok(mode, clients, Result(scenario: scenario, rssMb: rssMb, p99: p99), scenario: scenario);
        return outcome with { Figures = outcome.Figures! with { ServerCpuSecondsFromProc = cpuSeconds } };
    }

    private static ScenarioTable Table(string scenario = "idle-hold") =>
        ScenarioTable.From(scenario, ["threads", "async", "ngircd", "py-asyncio"], Outcomes(scenario));

    [Fact]
    public void A_reference_server_ahead_of_our_better_mode_is_found_with_its_factor()
    {
        var wins = ReferenceStandings.For(Table());

        var memory = Assert.Single(wins, w => w.Figure == "memory per client");
        Assert.Equal(("ngircd", 1_000, "async"), (memory.Server, memory.Clients, memory.OurMode));
        Assert.Equal(10.24 / 3.072, memory.Factor, precision: 2);
        var cpu = Assert.Single(wins, w => w.Figure == "deliveries per server CPU-second");
        Assert.Equal(("ngircd", "async"), (cpu.Server, cpu.OurMode));
        Assert.Equal(2.5, cpu.Factor, precision: 2);
        // Equal p99, equal throughput, too few clients for memory, too little CPU to divide by, a failed point, and a
        // server that was behind: no wins.
        Assert.Equal(2, wins.Count);
    }

    [Fact]
    public void Memory_per_client_is_compared_only_where_clients_sit_idle()
    {
        // Under traffic RSS grows with buffers and queues: the quotient would measure the traffic, not the clients.
        var wins = ReferenceStandings.For(Table("room-chat"));

        Assert.DoesNotContain(wins, w => w.Figure == "memory per client");
        Assert.Contains(wins, w => w.Figure == "deliveries per server CPU-second");
    }

    [Fact]
    public void The_sentence_says_by_how_much_and_why()
    {
        var info = ReferenceServerInfo.Of(ReferenceServers.Find("ngircd")!) with { Version = "ngIRCd 26.1" };
        var text = string.Join("\n", ReferenceStandings.Sentences(ReferenceStandings.For(Table()), [info]));

        Assert.Contains("ngircd beat ChatLoad on memory per client at 1,000 clients (by up to 3.3×: 3.07 vs 10.2 KB for ChatLoad async at 1,000)", text);
        Assert.Contains("deliveries per server CPU-second at 1,000 clients (by up to 2.5×: 5,000 vs 2,000 messages per CPU-second for ChatLoad async at 1,000)", text);
        Assert.Contains("Why: " + info.Strengths, text);
        Assert.DoesNotContain("py-asyncio beat", text);
    }

    [Fact]
    public void Reports_mark_reference_servers_and_state_their_socket_options()
    {
        var options = new ComparisonOptions { Scenarios = ["idle-hold"], Servers = ["threads", "async", "ngircd", "py-asyncio"] };
        var results = new ComparisonResults
        {
            Plan = PlanPresets.Build(options),
            Environment = RunEnvironment.Capture(CpuPinning.Decide(true, 2, true), "server.dll", "load.dll", "compare --peers"),
            Outcomes = Outcomes("idle-hold"),
            Started = DateTimeOffset.UnixEpoch,
            WallTime = TimeSpan.FromSeconds(42),
            References = [ReferenceServerInfo.Of(ReferenceServers.Find("ngircd")!) with { Version = "ngIRCd 26.1-test" },
                          ReferenceServerInfo.Of(ReferenceServers.Find("py-asyncio")!) with { Version = "Python 3.11.2" }],
        };

        var written = ComparisonReportWriter.Write(results, _dir);
        string html = File.ReadAllText(written.IndexHtml);
        string md = File.ReadAllText(written.SummaryMarkdown);

        foreach (var text in new[] { html, md })
        {
            Assert.Contains("ngircd (reference)", text);             // table rows (and chart legends in the HTML)
            Assert.Contains("py-asyncio (reference)", text);
            Assert.Contains("TCP_NODELAY is off in ngircd", text);     // beside the figures
            Assert.Contains("on in py-asyncio, ChatLoad", text);
            Assert.Contains("ngircd beat ChatLoad on memory per client", text);
            Assert.Contains("ngIRCd 26.1-test", text);                 // the section with version, model and config
            Assert.Contains("MaxPenaltyTime = 0", text);
        }
        Assert.Contains("href=\"#reference-servers\"", html);
        // Saved and read back: a report rendered again says what ran then.
        Assert.Equal("ngIRCd 26.1-test", ComparisonResultsJson.Load(_dir).References[0].Version);
    }

    [Fact]
    public void Without_reference_servers_the_reports_say_nothing_of_them()
    {
        var options = new ComparisonOptions { Scenarios = ["room-chat"] };
        var results = new ComparisonResults
        {
            Plan = PlanPresets.Build(options),
            Environment = RunEnvironment.Capture(CpuPinning.Decide(true, 2, true), "server.dll", "load.dll", "compare"),
            Outcomes = [Ok("threads", 100, Result()), Ok("async", 100, Result())],
            Started = DateTimeOffset.UnixEpoch,
            WallTime = TimeSpan.FromSeconds(42),
        };

        var written = ComparisonReportWriter.Write(results, _dir);

        Assert.DoesNotContain("Reference servers", File.ReadAllText(written.IndexHtml));
        Assert.DoesNotContain("(reference)", File.ReadAllText(written.SummaryMarkdown));
    }

    [Fact]
    public void Configs_lift_the_limits_they_say_they_lift()
    {
        string ngircd = NgircdServer.Render(6667, "/scratch", "/scratch/conf.d");
        foreach (var line in new[] { "MaxConnections = 0", "MaxConnectionsIP = 0", "MaxJoins = 0", "MaxPenaltyTime = 0", "MaxNickLength = 30", "Listen = 127.0.0.1", "Ports = 6667", "IncludeDir = /scratch/conf.d" })
            Assert.Contains(line, ngircd);
        string inspircd = InspircdServer.Render(6667, "/scratch");
        foreach (var attribute in new[] { "fakelag=\"no\"", "threshold=\"100000000\"", "commandrate=\"100000000\"", "localmax=\"1000000\"", "globalmax=\"1000000\"", "somaxconn=\"4096\"", "<bind address=\"127.0.0.1\" port=\"6667\"" })
            Assert.Contains(attribute, inspircd);
        Assert.DoesNotContain("<!--", inspircd); // InspIRCd's parser takes # comments only
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
