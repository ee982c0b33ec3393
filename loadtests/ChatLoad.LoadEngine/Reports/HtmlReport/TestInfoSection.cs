using System.Globalization;
using System.Text;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;
using static ChatLoad.LoadEngine.Reports.Formats.ReportNumbers;

namespace ChatLoad.LoadEngine.Reports.HtmlReport;

/// <summary>Where and how the test ran: machine, OS, runtime, cores, command, timing, and the suite's properties.</summary>
internal static class TestInfoSection
{
    public static void Render(StringBuilder html, RunResult result)
    {
        var info = result.Info;
        html.Append("<section id=\"test-info\">\n<h2>Test</h2>\n");
        var table = new HtmlTable(["Field", "Value"], "kv");
        table.Add("Test", info.TestName).Add("Session", info.SessionId).Add("Started", Timestamp(info.Started))
            .Add("Duration", Duration(info.Duration)).Add("Machine", info.Machine).Add("Operating system", info.OperatingSystem)
            .Add(".NET", info.Runtime).Add("Logical cores", info.ProcessorCount.ToString(CultureInfo.InvariantCulture))
            .Add("Generator processes (shards)", result.ShardCount.ToString(CultureInfo.InvariantCulture))
            .AddCells(null, [new HtmlCell("Command"), new HtmlCell(info.Command.Length > 0 ? info.Command : "(not recorded)", "mono")]);
        foreach (var (key, value) in info.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) table.Add(key, value);
        html.Append(table.ToHtml()).Append("</section>\n");
    }
}
