using System.Text.RegularExpressions;
using ChatLoad.LoadTests.Comparison;
using static ChatLoad.LoadTests.Tests.Comparison.SyntheticRuns;

namespace ChatLoad.LoadTests.Tests.Comparison;

public class ComparisonReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "chatload-compare-report-" + Guid.NewGuid().ToString("N"));

    private static ComparisonResults Results(params RungOutcome[] outcomes)
    {
        var options = new ComparisonOptions { Scenarios = ["room-chat"] };
        return new ComparisonResults
        {
            Plan = PlanPresets.Build(options),
            Environment = RunEnvironment.Capture(CpuPinning.Decide(true, 2, true), "server.dll", "load.dll", "compare --test"),
            Outcomes = outcomes,
            Started = DateTimeOffset.UnixEpoch,
            WallTime = TimeSpan.FromSeconds(42),
        };
    }

    [Fact]
    public void Index_shows_verdict_charts_figures_failures_links_and_the_machine()
    {
        var results = Results(
            Ok("threads", 100, Result(p99: 2, threads: 130)), Ok("async", 100, Result(p99: 2, threads: 20)),
            Failed("threads", 1_000, "the threads server died during the rung (exit code 134)"), Ok("async", 1_000, Result(p99: 3)));

        var written = ComparisonReportWriter.Write(results, _dir);
        string html = File.ReadAllText(written.IndexHtml);

        Assert.Contains("threads failed at 1,000 clients (async held there): the threads server died during the rung (exit code 134)", html);
        Assert.Contains("stderr: boom", html);                                      // the failure's evidence
        Assert.Contains("server pinned to core 0, generator to core 1 (taskset -c)", html);
        Assert.Contains("class=\"chart\"", html);                                   // charts drawn with the engine's API
        Assert.Contains("room-chat: p99 latency", html);
        var links = Regex.Matches(html, "href=\"(runs/[^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.Contains("runs/threads/room-chat/100-clients-r1/report.html", links);
        Assert.Contains("runs/async/room-chat/1000-clients-r1/report.html", links);
        Assert.Matches("<script src=\"plotly-[0-9.]+\\.min\\.js\"></script>", html); // one shared local copy, no CDN
        Assert.DoesNotContain("https://cdn", html);
        Assert.True(File.Exists(Path.Combine(_dir, ComparisonRunReports.SharedScriptName)));
    }

    [Fact]
    public void Summaries_carry_every_run_and_quote_csv_fields()
    {
        var results = Results(Ok("threads", 100, Result()), Failed("async", 100, "exit code 1: threshold broken: p99 < 5ms, \"p99\""));
        var written = ComparisonReportWriter.Write(results, _dir);

        var csv = File.ReadAllLines(written.SummaryCsv);
        Assert.StartsWith("scenario,server,clients,repeat,phase,offered_rate,status,throughput", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Contains("\"exit code 1: threshold broken: p99 < 5ms, \"\"p99\"\"\"", csv[2]);
        Assert.StartsWith("room-chat,threads,100,1,measure,,ok,1000,messages/s", csv[1]);

        string md = File.ReadAllText(written.SummaryMarkdown);
        Assert.Contains("## room-chat", md);
        Assert.Contains("| 100 | threads |", md);
        Assert.Contains("failed: exit code 1", md);
    }

    [Fact]
    public void The_answer_comes_first_and_the_saturation_table_gives_a_generator_bound_point_as_a_lower_bound()
    {
        var results = Results(
            Probe("threads", 100, 1_000, Result(p99: 3), 1), Probe("threads", 100, 2_000, Result(p99: 300), 2),
            Probe("async", 100, 1_000, Result(p99: 3), 1), Probe("async", 100, 2_000, GeneratorSaturated(Result(p99: 30)), 2));
        var written = ComparisonReportWriter.Write(results, _dir);
        string html = File.ReadAllText(written.IndexHtml);

        int answer = html.IndexOf("id=\"answer\"", StringComparison.Ordinal);
        Assert.True(answer > 0 && answer < html.IndexOf("class=\"figures saturation\"", StringComparison.Ordinal));
        Assert.Contains("<strong>≥ 9,000</strong>", html);   // async's rate below the saturated probe, as a lower bound
        Assert.Contains("the load generator saturated: those runs are left out of every verdict", html);
        Assert.Contains("room-chat: max sustainable deliveries/s at p99 ≤ 50 ms", html);
        Assert.Contains("runs/threads/room-chat/100-clients-1000-per-s-r1/report.html", html);
        Assert.DoesNotContain("kept up", html.Substring(0, answer)); // nothing above the answer claims the generator kept up
        Assert.Contains("Sustained (deliveries/s)", File.ReadAllText(written.SummaryMarkdown));
    }

    [Fact]
    public async Task Saved_comparison_renders_the_same_verdicts_again()
    {
        var results = Results(
            Ok("threads", 100, Result(p99: 2)), Ok("async", 100, Result(p99: 2)),
            Ok("threads", 1_000, Result(p99: 40, threads: 1_010)), Ok("async", 1_000, Result(p99: 9)),
            Failed("threads", 2_000, "timed out: no result after 60 s (killed)"), Ok("async", 2_000, Result(p99: 12)));
        ComparisonReportWriter.Write(results, _dir);

        var loaded = ComparisonResultsJson.Load(_dir);

        Assert.Equal(results.Outcomes.Count, loaded.Outcomes.Count);
        Assert.Equal(ScenarioVerdict.For(results.Table("room-chat"), results.Servers).Text,
                     ScenarioVerdict.For(loaded.Table("room-chat"), loaded.Servers).Text);
        Assert.Equal(results.Environment.Pinning, loaded.Environment.Pinning);
        Assert.Equal(0, await ComparisonCommand.RunAsync(["--report-only", _dir]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
