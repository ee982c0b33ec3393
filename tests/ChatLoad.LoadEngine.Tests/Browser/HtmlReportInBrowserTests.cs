using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using ChatLoad.LoadEngine.Tests.Reports;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ChatLoad.LoadEngine.Tests.Browser;

/// <summary>
/// Opens written reports in real headless Chromium with the network cut off, as a reader would, and checks that every
/// chart was drawn by plotly (its SVG is there, with axis titles) and that the page logged no script errors.
/// </summary>
public sealed class HtmlReportInBrowserTests
{
    /// <summary>How long plotly gets to draw every chart: generous, since this machine is shared and noisy; the
    /// test waits for a condition, it does not time anything.</summary>
    private static readonly TimeSpan RenderWait = TimeSpan.FromSeconds(60);

    [Fact]
    public void Self_contained_report_renders_every_chart_offline_without_script_errors()
    {
        using var folder = new TemporaryFolder("browser");
        var report = Assert.Single(ReportWriter.WriteAll(RunResultFixtures.ChatRun(), folder.Path, [ReportFormat.Html]));

        AssertRendersCleanly(report, expectedMinimumCharts: 15);
    }

    [Fact]
    public void Reports_sharing_one_local_plotly_copy_render_offline()
    {
        using var folder = new TemporaryFolder("browser");
        var script = PlotlyScript.WriteSharedCopy(folder.Path);
        var reportsFolder = Path.Combine(folder.Path, "runs");
        var options = new ReportOptions { PlotlyScript = PlotlyScript.RelativeFile("../" + Path.GetFileName(script)), FileNamePrefix = "threads-" };
        var report = Assert.Single(ReportWriter.WriteAll(RunResultFixtures.HostileRun(), reportsFolder, [ReportFormat.Html], options));

        AssertRendersCleanly(report, expectedMinimumCharts: 4);
    }

    private static void AssertRendersCleanly(string reportPath, int expectedMinimumCharts)
    {
        using var browser = HeadlessChromium.Start();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(new Uri(reportPath).AbsoluteUri);

        var charts = driver.FindElements(By.CssSelector("figure.chart"));
        Assert.True(charts.Count >= expectedMinimumCharts, $"expected at least {expectedMinimumCharts} charts, found {charts.Count}");
        long DrawnCharts() => (long)((IJavaScriptExecutor)driver).ExecuteScript(
            "return Array.from(document.querySelectorAll('figure.chart')).filter(f => f.querySelector('.main-svg')).length;")!;
        try
        {
            new WebDriverWait(driver, RenderWait).Until(_ => DrawnCharts() == charts.Count);
        }
        catch (WebDriverTimeoutException)
        {
            // Fall through to the assert below, which says how many were drawn.
        }
        var plotlyLoaded = (bool)((IJavaScriptExecutor)driver).ExecuteScript("return typeof Plotly === 'object' && typeof Plotly.newPlot === 'function';")!;
        Assert.True(plotlyLoaded, "plotly.js did not load; browser console:\n" + string.Join("\n", browser.SevereLogEntries()));
        Assert.Equal(charts.Count, DrawnCharts());

        foreach (var chart in charts)
        {
            var title = chart.GetAttribute("data-chart-title");
            var xTitle = chart.FindElements(By.CssSelector(".g-xtitle text")).Select(e => e.Text).FirstOrDefault();
            var yTitle = chart.FindElements(By.CssSelector(".g-ytitle text")).Select(e => e.Text).FirstOrDefault();
            Assert.False(string.IsNullOrWhiteSpace(xTitle), $"chart '{title}' has no x axis title");
            Assert.False(string.IsNullOrWhiteSpace(yTitle), $"chart '{title}' has no y axis title");
            Assert.True(chart.FindElements(By.CssSelector(".main-svg .plot path, .main-svg .plot .point")).Count > 0,
                $"chart '{title}' drew no data");
        }

        var severe = browser.SevereLogEntries();
        Assert.True(severe.Count == 0, "browser console errors:\n" + string.Join("\n", severe));
    }
}
