using System.Text;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>How the load generator itself fared: its CPU, scheduler lag and thread-pool queue, as figures and charts.</summary>
internal static class GeneratorSection
{
    private const string TimeAxis = "Time since run start (s)";

    public static void Render(StringBuilder html, GeneratorHealth generator)
    {
        html.Append("<section id=\"generator\">\n<h2>Load generator</h2>\n");
        html.Append(generator.Saturated
            ? "<p><span class=\"badge bad\">saturated</span> The generator, not only the target, limited this run (see the warnings at the top).</p>\n"
            : "<p><span class=\"badge ok\">kept up</span> The generator's own CPU and scheduling stayed within limits.</p>\n");
        var table = new HtmlTable(["CPU mean", "CPU max", "Scheduler lag p99 (ms)", "Scheduler lag max (ms)",
            "Thread-pool queue max", "Thread-pool threads max"], "figures generator");
        table.Add(Percent(generator.CpuPercentMean), Percent(generator.CpuPercentMax), Ms(generator.SchedulerLagP99Ms),
            Ms(generator.SchedulerLagMaxMs), Count(generator.ThreadPoolQueueMax), Count(generator.ThreadPoolThreadsMax));
        html.Append(table.ToHtml());

        var seconds = generator.Samples.Select(s => s.Second).ToList();
        html.Append("<div class=\"grid\">\n");
        html.Append(HtmlCharts.LineChart("Generator process CPU", TimeAxis, "CPU (%)",
            [new ChartSeries("CPU %", seconds, generator.Samples.Select(s => s.CpuPercent).ToList())]));
        html.Append(HtmlCharts.LineChart("Generator scheduler lag", TimeAxis, "Lag (ms)",
            [new ChartSeries("scheduler lag", seconds, generator.Samples.Select(s => s.SchedulerLagMs).ToList())]));
        html.Append(HtmlCharts.LineChart("Generator thread pool", TimeAxis, "Count (items / threads)",
        [
            new ChartSeries("queued work items", seconds, generator.Samples.Select(s => (double)s.ThreadPoolQueue).ToList()),
            new ChartSeries("threads", seconds, generator.Samples.Select(s => (double)s.ThreadPoolThreads).ToList()),
        ]));
        html.Append("</div>\n</section>\n");
    }
}
