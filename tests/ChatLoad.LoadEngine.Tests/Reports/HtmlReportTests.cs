using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Tests.Reports;

public sealed class HtmlReportTests
{
    private static IDocument Parse(RunResult result, ReportOptions? options = null) =>
        new HtmlParser().ParseDocument(ReportWriter.Render(result, ReportFormat.Html, options));

    private static IElement Scenario(IDocument page, string name) =>
        page.QuerySelectorAll("section.scenario").Single(s => s.GetAttribute("data-scenario") == name);

    private static string[] Cells(IElement row) => row.QuerySelectorAll("td").Select(td => td.TextContent).ToArray();

    [Fact]
    public void Requests_and_latency_tables_show_each_step_figures()
    {
        var page = Parse(RunResultFixtures.ChatRun());
        var room = Scenario(page, "room-chat");

        var requests = room.QuerySelectorAll("table.requests tbody tr").Select(Cells).ToList();
        Assert.Equal(["(all iterations)", "29,874", "126", "0.42%", "1,000", "1.37 MiB", "1.49 MiB"], requests[0]);
        Assert.Equal(["send", "deliver"], requests.Skip(1).Select(r => r[0]));
        Assert.Equal("0", requests[2][2]); // deliver: no failures

        var latencyHeaders = room.QuerySelectorAll("table.latency thead th").Select(th => th.TextContent);
        Assert.Equal(["Step", "Count", "min", "mean", "max", "stddev", "p50", "p75", "p95", "p99", "p99.9"], latencyHeaders);
        var send = room.QuerySelectorAll("table.latency tbody tr").Select(Cells).Single(r => r[0] == "send");
        var expected = RunResultFixtures.ChatRun().Scenarios[0].Steps[0].Latency;
        Assert.Equal(expected.P99Ms.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), send[9]);
        Assert.Equal("0.160", send[2]);
    }

    [Fact]
    public void At_a_glance_gives_one_line_per_scenario_before_the_detail()
    {
        var page = Parse(RunResultFixtures.ChatRun());

        var rows = page.QuerySelectorAll("#at-a-glance tbody tr").Select(Cells).ToList();
        Assert.Equal(["room-chat", "30,000", "0.42%", "1,000", "iteration latency", "3.10", "25.16", "124.0", "57", "3"], rows[0]);
        Assert.Equal("ping-pong", rows[1][0]);
        Assert.Equal("bad", page.QuerySelectorAll("#at-a-glance tbody tr")[0].QuerySelectorAll("td")[8].ClassName);
    }

    [Fact]
    public void A_scenario_with_a_headline_histogram_leads_with_it()
    {
        var run = RunResultFixtures.ChatRun();
        var room = run.Scenarios[0];
        Assert.NotEmpty(room.Histograms);
        var page = Parse(run with { Scenarios = [room with { HeadlineLatency = room.Histograms[0].Name }, .. run.Scenarios.Skip(1)] });

        var cells = Cells(page.QuerySelectorAll("#at-a-glance tbody tr")[0]);
        Assert.Equal(room.Histograms[0].Name, cells[4]);
        Assert.Equal(room.Histograms[0].P99Ms.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), cells[6]);
    }

    [Fact]
    public void The_generator_badge_never_says_it_kept_up_when_iterations_were_late()
    {
        var run = RunResultFixtures.ChatRun();
        var page = Parse(run with { Generator = run.Generator with { Warnings = [] } });

        var status = page.QuerySelector("#status")!.TextContent;
        Assert.DoesNotContain("kept up", status);
        Assert.Contains("fell behind its schedule: 60 late or dropped iterations", status);
        Assert.NotNull(page.QuerySelector("#schedule-warnings"));
    }

    [Fact]
    public void Thresholds_are_marked_passed_and_failed()
    {
        var page = Parse(RunResultFixtures.ChatRun());

        var passed = page.QuerySelectorAll("#thresholds tr.passed");
        var failed = Assert.Single(page.QuerySelectorAll("#thresholds tr.failed"));
        Assert.Equal(2, passed.Length);
        Assert.Contains("FAILED", failed.QuerySelector("td.verdict")!.TextContent);
        Assert.Equal("p99 < 50ms", Cells(failed)[2]);
        Assert.Equal("87.5", Cells(failed)[3]);
        Assert.All(passed, row => Assert.Contains("PASSED", row.QuerySelector("td.verdict")!.TextContent));
        Assert.Contains("2 of 3 passed", page.QuerySelector("#status")!.TextContent);
    }

    [Fact]
    public void Generator_saturation_and_schedule_warnings_come_before_any_figure()
    {
        var page = Parse(RunResultFixtures.ChatRun());
        var all = page.All.ToList();

        var generator = page.QuerySelector("#generator-warnings")!;
        Assert.Contains("generator CPU at 98% for 12 s", generator.TextContent);
        Assert.Contains("banner-bad", generator.ClassList);
        Assert.Contains("p99 < 50ms", page.QuerySelector("#threshold-warnings")!.TextContent);
        Assert.Contains("60 late or dropped iterations", page.QuerySelector("#status")!.TextContent);
        Assert.True(all.IndexOf(generator) < all.IndexOf(page.QuerySelector("#test-info")!), "warnings must precede the figures");
        Assert.Null(page.QuerySelector("#no-warnings"));
    }

    [Fact]
    public void Late_iterations_get_their_own_banner_when_the_generator_raised_no_warning()
    {
        var run = RunResultFixtures.ChatRun();
        var page = Parse(run with { Generator = run.Generator with { Warnings = [] } });

        Assert.Null(page.QuerySelector("#generator-warnings"));
        Assert.Contains("57 iterations started late, 3 dropped", page.QuerySelector("#schedule-warnings")!.TextContent);
        // With a generator warning present, lateness is the engine's warning to give, not repeated in a second banner.
        Assert.Null(Parse(run).QuerySelector("#schedule-warnings"));
    }

    [Fact]
    public void A_clean_run_says_so_and_shows_empty_generator_charts_as_no_data()
    {
        var page = Parse(RunResultFixtures.MinimalRun());

        Assert.NotNull(page.QuerySelector("#no-warnings"));
        Assert.Null(page.QuerySelector("#generator-warnings"));
        Assert.Contains("No thresholds were set", page.QuerySelector("#thresholds")!.TextContent);
        Assert.Contains("No failures", Scenario(page, "ping-pong").TextContent);
        Assert.Equal(3, page.QuerySelectorAll("#generator figure.chart-empty").Length); // no samples recorded
    }

    [Fact]
    public void Test_info_lists_machine_runtime_command_and_properties()
    {
        var page = Parse(RunResultFixtures.ChatRun());
        var rows = page.QuerySelectorAll("#test-info tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray())
            .Where(c => c.Length == 2).ToDictionary(c => c[0], c => c[1]);

        Assert.Equal("ci-runner-7", rows["Machine"]);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", rows["Operating system"]);
        Assert.Equal(".NET 10.0.1", rows[".NET"]);
        Assert.Equal("2", rows["Logical cores"]);
        Assert.Equal("2", rows["Generator processes (shards)"]);
        Assert.Equal("35.0 s", rows["Duration"]);
        Assert.StartsWith("./scripts/loadtest.sh --scenario room-chat", rows["Command"]);
        Assert.Equal("threads", rows["server mode"]);
        Assert.Equal("127.0.0.1:6667", rows["target"]);
    }

    [Fact]
    public void Custom_counters_gauges_and_histograms_have_tables_and_charts()
    {
        var room = Scenario(Parse(RunResultFixtures.ChatRun()), "room-chat");

        var counters = room.QuerySelectorAll("table.counters tbody tr").Select(Cells).ToList();
        Assert.Contains(["messages delivered", "149,370", "messages"], counters);
        var gauges = room.QuerySelectorAll("table.gauges tbody tr").Select(Cells).ToDictionary(c => c[0]);
        Assert.Equal("541 threads", gauges["server threads"][3]);
        Assert.Equal("247.96 MiB", gauges["server RSS"][3]);
        var histogram = Assert.Single(room.QuerySelectorAll("table.histograms tbody tr").Select(Cells));
        Assert.Equal("end-to-end latency", histogram[0]);
        Assert.Equal("149,370", histogram[1]);

        var chartTitles = room.QuerySelectorAll("figure.chart").Select(f => f.GetAttribute("data-chart-title")).ToList();
        Assert.Contains("room-chat: latency distribution", chartTitles);
        Assert.Contains("room-chat: throughput", chartTitles);
        Assert.Contains("room-chat: latency over time", chartTitles);
        Assert.Contains("room-chat: data transfer", chartTitles);
        Assert.Contains("room-chat: failures by status", chartTitles);
        Assert.Contains("room-chat: server threads", chartTitles);
        Assert.Contains("room-chat: server RSS, server GC heap", chartTitles); // both in bytes: one chart, one axis
        Assert.Contains("room-chat: custom histogram distributions", chartTitles);
        Assert.Contains("room-chat: late and dropped iterations (cumulative)", chartTitles); // the engine's own series
    }

    [Fact]
    public void Distribution_charts_end_at_the_last_sample_not_at_an_imaginary_100_percent()
    {
        var room = Scenario(Parse(RunResultFixtures.ChatRun()), "room-chat");
        var chart = room.QuerySelectorAll("figure.chart")
            .Single(f => f.GetAttribute("data-chart-title") == "room-chat: custom histogram distributions");
        var script = chart.QuerySelector("script")!.TextContent;

        // 149,370 samples: the maximum sits at the 99.9993rd percentile, so the axis goes to 99.999% and no further.
        Assert.Contains("\"99.999%\"]", script);
        Assert.DoesNotContain("99.9999%", script);
    }

    [Fact]
    public void Failures_are_listed_by_status_with_sample_messages()
    {
        var room = Scenario(Parse(RunResultFixtures.ChatRun()), "room-chat");

        var failures = room.QuerySelectorAll("table.failures tbody tr").Select(Cells).ToList();
        Assert.Equal(["(all iterations)", "timeout", "101", "0.34%", "no echo within 5 s"], failures[0]);
        Assert.Equal(["(all iterations)", "refused", "25", "0.08%", "connection refused"], failures[1]);
        Assert.Equal(["send", "timeout", "101", "0.34%", "no echo within 5 s"], failures[2]);
        Assert.Equal(4, failures.Count); // deliver has none
    }

    [Fact]
    public void Embedded_report_is_offline_with_plotly_inlined_exactly_once()
    {
        var html = ReportWriter.Render(RunResultFixtures.ChatRun(), ReportFormat.Html);
        var page = new HtmlParser().ParseDocument(html);

        Assert.Empty(page.QuerySelectorAll("script[src]"));
        Assert.DoesNotContain("<script src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.googleapis", html, StringComparison.OrdinalIgnoreCase);
        var library = page.QuerySelectorAll("head script").Where(s => s.TextContent.Length > 1_000_000).ToList();
        Assert.Single(library);
        var charts = page.QuerySelectorAll("figure.chart");
        Assert.True(charts.Length >= 10, $"only {charts.Length} charts");
        Assert.All(charts, chart =>
        {
            var script = chart.QuerySelector("script")!.TextContent;
            Assert.Contains("Plotly.newPlot", script);
            Assert.True(script.Length < 50_000, "a chart script must not carry its own copy of plotly.js");
        });
    }

    [Fact]
    public void Text_from_results_is_encoded_not_interpreted()
    {
        var html = ReportWriter.Render(RunResultFixtures.HostileRun(), ReportFormat.Html);
        var page = new HtmlParser().ParseDocument(html);

        Assert.Equal("ChatLoad: " + RunResultFixtures.HostileName, page.Title);
        Assert.Equal("ChatLoad: " + RunResultFixtures.HostileName, page.QuerySelector("h1")!.TextContent);
        // The only scripts are plotly.js and one drawing script per chart: nothing injected by a name.
        var scripts = page.QuerySelectorAll("script").ToList();
        Assert.Equal(1 + page.QuerySelectorAll("figure.chart").Length, scripts.Count);
        Assert.All(scripts.Skip(1), s => Assert.StartsWith("var renderPlotly_", s.TextContent));
        Assert.Empty(page.QuerySelectorAll("main b")); // "err<b>" stays text
        var scenario = Scenario(page, RunResultFixtures.HostileName);
        Assert.Contains(scenario.QuerySelectorAll("table.failures td"), td => td.TextContent == "</td></tr></table><script>alert(1)</script>");
        Assert.Contains(page.QuerySelectorAll("#test-info td"), td => td.TextContent == RunResultFixtures.HostileName);
        // Inside chart data the name is entity-encoded for plotly, which shows it literally.
        Assert.Contains("&lt;script&gt;alert(", html);
    }
}
