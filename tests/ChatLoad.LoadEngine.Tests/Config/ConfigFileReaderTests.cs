using ChatLoad.LoadEngine.Config;

namespace ChatLoad.LoadEngine.Tests.Config;

public class ConfigFileReaderTests
{
    [Fact]
    public void Reads_every_section()
    {
        var config = ConfigFileReader.Read("""
            {
              // comments are allowed
              "testName": "nightly",
              "reportFolder": "out",
              "reportFormats": ["html", "json"],
              "thresholds": ["fail% < 1"],
              "properties": {"server": "async"},
              "engine": {"lateTolerance": "20ms", "maxInFlight": 5000, "drainTimeout": "2s"},
              "scenarios": [{
                "name": "ping-pong", "target": "127.0.0.1:6667", "clients": 50, "rate": 200.5,
                "duration": "1m30s", "warmUp": "5s",
                "loadSimulations": [
                  {"type": "rampingInject", "rate": 100, "interval": "1s", "during": "10s"},
                  {"type": "inject", "rate": 100, "during": "20s"},
                  {"type": "keepConstant", "copies": 10, "during": "5s"},
                  {"type": "iterationsForConstant", "copies": 2, "iterations": 1000, "timeout": "1m"},
                  {"type": "pause", "during": "500ms"}
                ],
                "thresholds": ["p99 < 50ms"],
                "customSettings": {"channels": 4, "verbose": true, "nick": "bot"}
              }]
            }
            """, "test.json");

        Assert.Equal(("nightly", "out"), (config.TestName, config.ReportFolder));
        Assert.Equal(["html", "json"], config.ReportFormats!);
        Assert.Equal(TimeSpan.FromMilliseconds(20), config.Engine!.LateTolerance);
        Assert.Equal(5000, config.Engine.MaxInFlight);
        var scenario = Assert.Single(config.Scenarios);
        Assert.Equal(("ping-pong", "127.0.0.1:6667", (int?)50, (double?)200.5, (TimeSpan?)TimeSpan.FromSeconds(90), (TimeSpan?)TimeSpan.FromSeconds(5)),
            (scenario.Name, scenario.Target, scenario.Clients, scenario.Rate, scenario.Duration, scenario.WarmUp));
        Assert.Equal(
            [Simulation.RampingInject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)),
             Simulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20)),
             Simulation.KeepConstant(10, TimeSpan.FromSeconds(5)),
             Simulation.IterationsForConstant(2, 1000, TimeSpan.FromMinutes(1)),
             Simulation.Pause(TimeSpan.FromMilliseconds(500))],
            scenario.LoadSimulations!);
        Assert.Equal(new Dictionary<string, string> { ["channels"] = "4", ["verbose"] = "true", ["nick"] = "bot" }, scenario.CustomSettings);
    }

    [Theory]
    [InlineData("""{"testNmae": "x"}""", "test.json: $.testNmae: unknown key; expected one of testName")]
    [InlineData("""{"TestName": "x"}""", "did you mean \"testName\"")]
    [InlineData("""{"scenarios": [{"name": "a", "rat": 5}]}""", "$.scenarios[0].rat: unknown key")]
    [InlineData("""{"scenarios": [{"name": "a", "duration": "30"}]}""", "$.scenarios[0].duration: expected a duration such as \"30s\"")]
    [InlineData("""{"scenarios": [{"name": "a", "duration": 30}]}""", "found the number 30")]
    [InlineData("""{"scenarios": [{"name": "a", "clients": -1}]}""", "$.scenarios[0].clients: expected a whole number >= 1")]
    [InlineData("""{"scenarios": [{"rate": 5}]}""", "$.scenarios[0]: a scenario needs a \"name\"")]
    [InlineData("""{"scenarios": [{"name": "a"}, {"name": "a"}]}""", "scenario 'a' appears twice")]
    [InlineData("""{"scenarios": [{"name": "a", "loadSimulations": [{"type": "inject", "rate": 5}]}]}""", "\"inject\" needs \"during\"")]
    [InlineData("""{"scenarios": [{"name": "a", "loadSimulations": [{"type": "flood"}]}]}""", "unknown simulation type 'flood'")]
    [InlineData("""{"scenarios": [{"name": "a", "loadSimulations": [{"type": "pause", "during": "1s", "copies": 2}]}]}""", "loadSimulations[0].copies: unknown key")]
    [InlineData("""{"engine": {"maxInFlight": 0}}""", "$.engine.maxInFlight: expected a whole number >= 1")]
    [InlineData("""{"thresholds": "p99 < 5"}""", "$.thresholds: expected an array")]
    [InlineData("""{"scenarios": [""", "not valid JSON")]
    [InlineData("""[1]""", "$: expected an object, found an array")]
    public void Mistakes_are_one_clear_line_naming_the_place(string json, string message)
    {
        var error = Assert.Throws<UsageException>(() => ConfigFileReader.Read(json, "test.json"));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error()
    {
        var error = Assert.Throws<UsageException>(() => ConfigFileReader.ReadFile("/nonexistent/chatload.json"));
        Assert.Contains("cannot be read", error.Message);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("250us", 0.25)]
    public void Durations_need_a_unit(string text, double ms)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(ms, duration.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("5sec")]
    [InlineData("")]
    public void Bad_durations_are_rejected(string text) => Assert.False(DurationText.TryParse(text, out _));
}

public class ExampleConfigTests
{
    /// <summary>The example shipped beside the reader stays valid as the grammar changes.</summary>
    [Fact]
    public void The_example_config_file_is_valid()
    {
        var path = Path.Combine(RepositoryRoot(), "loadtests", "ChatLoad.LoadEngine", "Config", "example-config.json");
        var config = ConfigFileReader.ReadFile(path);
        Assert.Equal(["ping-pong", "room-chat"], config.Scenarios.Select(s => s.Name));
        Assert.Equal(3, config.Scenarios[1].LoadSimulations!.Count);
        foreach (var threshold in config.Thresholds.Concat(config.Scenarios.SelectMany(s => s.Thresholds)))
            Threshold.Create(threshold);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ChatLoad.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("ChatLoad.sln not found above the test folder");
    }
}
