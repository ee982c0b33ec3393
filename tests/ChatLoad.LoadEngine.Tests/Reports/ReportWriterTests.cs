using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Tests.Reports;

public sealed class ReportWriterTests
{
    private static readonly ReportFormat[] AllFormats = Enum.GetValues<ReportFormat>();

    [Fact]
    public void WriteAll_writes_every_format_under_its_documented_name_and_returns_full_paths()
    {
        using var folder = new TemporaryFolder("reports");
        var target = Path.Combine(folder.Path, "nested", "run-1"); // created on demand

        var written = ReportWriter.WriteAll(RunResultFixtures.ChatRun(), target, AllFormats);

        Assert.Equal(["report.html", "report.md", "report.csv", "report-timeseries.csv", "report.txt", "result.json", "junit.xml"],
            written.Select(Path.GetFileName));
        Assert.All(written, path =>
        {
            Assert.True(Path.IsPathRooted(path), path);
            Assert.True(new FileInfo(path).Length > 100, $"{path} is nearly empty");
        });
        Assert.Empty(Directory.GetFiles(target, "*.tmp"));
    }

    [Fact]
    public void WriteAll_writes_only_the_requested_formats_once_each_with_the_prefix()
    {
        using var folder = new TemporaryFolder("reports");

        var written = ReportWriter.WriteAll(RunResultFixtures.MinimalRun(), folder.Path,
            [ReportFormat.Text, ReportFormat.Json, ReportFormat.Text], new ReportOptions { FileNamePrefix = "threads-100-" });

        Assert.Equal(["threads-100-report.txt", "threads-100-result.json"], written.Select(Path.GetFileName));
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
    }

    [Fact]
    public void WriteAll_overwrites_an_older_report_in_place()
    {
        using var folder = new TemporaryFolder("reports");
        File.WriteAllText(folder.File("report.txt"), "stale");

        ReportWriter.WriteAll(RunResultFixtures.MinimalRun(), folder.Path, [ReportFormat.Text]);

        Assert.Contains("ping-pong", File.ReadAllText(folder.File("report.txt")));
    }

    [Theory]
    [InlineData("../escape-")]
    [InlineData("sub/dir-")]
    [InlineData("..")]
    public void A_prefix_that_is_not_a_plain_file_name_fragment_is_refused_before_writing(string prefix)
    {
        using var folder = new TemporaryFolder("reports");

        var error = Assert.Throws<ArgumentException>(() => ReportWriter.WriteAll(RunResultFixtures.MinimalRun(), folder.Path,
            [ReportFormat.Text], new ReportOptions { FileNamePrefix = prefix }));

        Assert.Contains("FileNamePrefix", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Bad_arguments_get_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => ReportWriter.WriteAll(RunResultFixtures.MinimalRun(), " ", AllFormats));
        Assert.Throws<ArgumentNullException>(() => ReportWriter.WriteAll(null!, "x", AllFormats));
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => ReportWriter.Render(RunResultFixtures.MinimalRun(), (ReportFormat)42));
        Assert.Contains("Html", unknown.Message);
    }

    [Fact]
    public void An_empty_run_with_missing_figures_still_renders_every_format()
    {
        using var folder = new TemporaryFolder("reports");
        var empty = new RunResult
        {
            Info = new TestInfo { TestName = "nothing ran", SessionId = "e", Started = DateTimeOffset.UnixEpoch, Duration = TimeSpan.Zero },
            Scenarios =
            [
                new ScenarioResult
                {
                    Name = "idle", Duration = TimeSpan.Zero,
                    Iterations = new StepStats { Name = "iteration", Latency = new LatencyResult { Name = "iteration", MeanMs = double.NaN, StdDevMs = double.NaN } },
                    TimeSeries = [new TimeSeriesPoint { Second = 1, P50Ms = double.NaN }],
                },
            ],
        };

        var written = ReportWriter.WriteAll(empty, folder.Path, AllFormats);

        Assert.Equal(7, written.Count);
        Assert.Contains("n/a", File.ReadAllText(folder.File("report.txt")));
        Assert.Contains("No data points", File.ReadAllText(folder.File("report.html"))); // the distribution chart
    }

    [Fact]
    public void Json_report_round_trips_through_RunResultJson()
    {
        using var folder = new TemporaryFolder("reports");
        var original = RunResultFixtures.ChatRun();

        var path = Assert.Single(ReportWriter.WriteAll(original, folder.Path, [ReportFormat.Json]));
        var back = RunResultJson.Deserialize(File.ReadAllText(path));

        Assert.Equal(original.Info.TestName, back.Info.TestName);
        Assert.Equal(original.Info.Started, back.Info.Started);
        Assert.Equal(original.Info.Properties["server mode"], back.Info.Properties["server mode"]);
        Assert.Equal(original.ShardCount, back.ShardCount);
        Assert.Equal(original.Scenarios.Select(s => s.Name), back.Scenarios.Select(s => s.Name));
        var room = back.Scenarios[0];
        Assert.Equal(original.Scenarios[0].Steps[0].Latency.P99Ms, room.Steps[0].Latency.P99Ms);
        Assert.Equal(original.Scenarios[0].TimeSeries.Count, room.TimeSeries.Count);
        Assert.Equal(original.Scenarios[0].TimeSeries[3].Metrics["server RSS"], room.TimeSeries[3].Metrics["server RSS"]);
        Assert.Equal(original.Thresholds, back.Thresholds);
        Assert.Equal(original.Generator.Warnings, back.Generator.Warnings);
        // Re-rendering from the parsed JSON gives the same text report as from the original.
        Assert.Equal(ReportWriter.Render(original, ReportFormat.Text), ReportWriter.Render(back, ReportFormat.Text));
    }

    [Fact]
    public void Shared_plotly_copy_keeps_a_report_small_and_referenced_by_relative_path()
    {
        using var folder = new TemporaryFolder("reports");
        var scriptPath = PlotlyScript.WriteSharedCopy(folder.Path);
        var options = new ReportOptions { PlotlyScript = PlotlyScript.RelativeFile(Path.GetFileName(scriptPath)), FileNamePrefix = "a-" };

        var html = Assert.Single(ReportWriter.WriteAll(RunResultFixtures.ChatRun(), folder.Path, [ReportFormat.Html], options));

        Assert.True(new FileInfo(scriptPath).Length > 1_000_000, "plotly.js copy is too small to be the library");
        Assert.StartsWith("/*", File.ReadAllText(scriptPath).TrimStart()); // the minified library with its license header
        Assert.True(new FileInfo(html).Length < 400_000, $"report with a shared script weighs {new FileInfo(html).Length} bytes");
        Assert.Contains($"<script src=\"{Path.GetFileName(scriptPath)}\"></script>", File.ReadAllText(html));
    }

    [Theory]
    [InlineData("https://cdn.plot.ly/plotly-2.28.0.min.js")]
    [InlineData("//cdn.example/plotly.js")]
    [InlineData("/usr/share/plotly.js")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public void A_plotly_reference_that_would_not_open_offline_is_refused(string path) =>
        Assert.Throws<ArgumentException>(() => PlotlyScript.RelativeFile(path));
}
