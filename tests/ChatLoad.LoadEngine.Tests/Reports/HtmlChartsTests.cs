using AngleSharp.Html.Parser;
using ChatLoad.LoadEngine.Reports.Html;

namespace ChatLoad.LoadEngine.Tests.Reports;

public sealed class HtmlChartsTests
{
    private static readonly ChartSeries Threads = new("threads mode", [100, 1000, 10000], [1.5, 4.0, 90.0]);
    private static readonly ChartSeries Async = new("async <mode>", [100, 1000, 10000], [1.2, 1.9, 3.1]);

    [Fact]
    public void Line_chart_is_a_figure_with_its_div_and_plotly_script()
    {
        var fragment = HtmlCharts.LineChart("p99 vs clients", "Clients (count)", "p99 latency (ms)", [Threads, Async], logX: true);
        var figure = Assert.Single(new HtmlParser().ParseDocument(fragment).Body!.Children);

        Assert.Equal("figure", figure.LocalName);
        Assert.Equal("p99 vs clients", figure.GetAttribute("data-chart-title"));
        Assert.Equal("p99 vs clients", figure.QuerySelector("figcaption")!.TextContent);
        var div = figure.QuerySelector("div[id]")!;
        var script = figure.QuerySelector("script")!.TextContent;
        Assert.Contains($"Plotly.newPlot('{div.Id}'", script);
        Assert.Contains("\"title\":{\"text\":\"Clients (count)\"}", script);
        Assert.Contains("\"title\":{\"text\":\"p99 latency (ms)\"}", script);
        Assert.Contains("\"type\":\"log\"", script);
        Assert.Contains("\"name\":\"async &lt;mode&gt;\"", script);
        Assert.Contains("[1.5,4.0,90.0]", script);
        Assert.Contains("\"displaylogo\":false", script); // no link off the page
    }

    [Fact]
    public void Bar_chart_groups_series_by_category()
    {
        var fragment = HtmlCharts.BarChart("Server threads", "Mode", "Threads (count)",
            [new BarSeries("1000 clients", ["threads", "async"], [1012, 14]), new BarSeries("2000 clients", ["threads", "async"], [2012, 15])]);

        Assert.Contains("\"type\":\"bar\"", fragment);
        Assert.Contains("\"barmode\":\"group\"", fragment);
        Assert.Contains("\"x\":[\"threads\",\"async\"]", fragment);
        Assert.Contains("Threads (count)", fragment);
    }

    [Fact]
    public void Percentile_chart_spreads_the_tail_on_a_log_axis_labelled_in_percent()
    {
        var fragment = HtmlCharts.PercentileChart("distribution", "Latency (ms)", [new ChartSeries("all", [0, 50, 90, 99, 100], [1, 2, 3, 4, 5])]);

        Assert.Contains("\"type\":\"log\"", fragment);
        Assert.Contains("\"ticktext\":[\"50%\",\"90%\",\"99%\",\"99.9%\"", fragment);
        Assert.Contains("\"x\":[1.0,2.0,10.0,100", fragment); // 1/(1-p)
    }

    [Fact]
    public void Charts_without_points_say_so_instead_of_drawing_an_empty_frame()
    {
        var fragment = HtmlCharts.LineChart("nothing", "x (s)", "y (ms)", [new ChartSeries("a", [], [])]);

        Assert.Contains("class=\"chart-empty\"", fragment);
        Assert.Contains("No data points", fragment);
        Assert.DoesNotContain("Plotly.newPlot", fragment);
    }

    [Fact]
    public void Mismatched_series_lengths_are_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            HtmlCharts.LineChart("t", "x", "y", [new ChartSeries("broken", [1, 2, 3], [1, 2])]));
        Assert.Contains("broken", error.Message);
        Assert.Throws<ArgumentException>(() => HtmlCharts.BarChart("t", "x", "y", [new BarSeries("b", ["a"], [1, 2])]));
    }

    [Fact]
    public void Page_loads_plotly_once_in_the_head_before_any_chart()
    {
        var body = HtmlCharts.LineChart("a", "x (s)", "y (ms)", [Threads]) + HtmlCharts.LineChart("b", "x (s)", "y (ms)", [Async]);

        var shared = new HtmlParser().ParseDocument(HtmlPage.Render("Compare <modes>", body, PlotlyScript.RelativeFile("../plotly.min.js")));
        var embedded = new HtmlParser().ParseDocument(HtmlPage.Render("Compare", body, PlotlyScript.Embedded));

        Assert.Equal("Compare <modes>", shared.Title);
        Assert.Equal("../plotly.min.js", Assert.Single(shared.QuerySelectorAll("script[src]")).GetAttribute("src"));
        Assert.Equal("head", shared.QuerySelector("script[src]")!.ParentElement!.LocalName);
        Assert.Equal(2, shared.QuerySelectorAll("figure.chart").Length);
        Assert.Empty(embedded.QuerySelectorAll("script[src]"));
        Assert.Single(embedded.QuerySelectorAll("head script"), s => s.TextContent.Length > 1_000_000);
    }

    [Fact]
    public void Html_table_encodes_cells_and_marks_rows()
    {
        var table = new HtmlTable(["Mode", "p99 (ms)"]).AddWithClass("failed", ["<threads>", "12.5"]).ToHtml();
        var row = new HtmlParser().ParseDocument(table).QuerySelector("tbody tr")!;

        Assert.Equal("failed", row.ClassName);
        Assert.Equal("<threads>", row.QuerySelector("td")!.TextContent);
        Assert.Throws<ArgumentException>(() => new HtmlTable(["a", "b"]).Add("only one"));
    }
}
