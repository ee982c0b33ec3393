using System.Globalization;
using System.Text;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>summary.csv: one row per run (every repeat), every figure, for spreadsheets and scripts.</summary>
internal static class SummaryCsv
{
    public static string Render(ComparisonResults results)
    {
        var csv = new StringBuilder();
        csv.Append("scenario,server,clients,repeat,phase,offered_rate,status,throughput,throughput_unit");
        foreach (var f in Figure.All.Where(f => f != Figure.Throughput)) csv.Append(',').Append(f.Key);
        csv.AppendLine(",lost,expected,out_of_order,wall_time_s,failure,report");
        foreach (var o in results.Outcomes)
        {
            var f = o.Figures;
            csv.Append(string.Join(",", Field(o.Rung.Scenario), Field(o.Server), o.Rung.Clients.ToString(CultureInfo.InvariantCulture),
                o.Repeat.ToString(CultureInfo.InvariantCulture), o.Phase.ToString().ToLowerInvariant(), Number(o.Rung.Rate),
                o.Skipped ? "skipped" : o.Succeeded ? "ok" : "failed",
                Number(f?.Throughput), Field(f?.ThroughputUnit)));
            foreach (var figure in Figure.All.Where(x => x != Figure.Throughput))
                csv.Append(',').Append(Number(f is null ? null : figure.Read(f)));
            csv.Append(',').Append(Number(f?.Lost)).Append(',').Append(Number(f?.Expected)).Append(',').Append(Number(f?.OutOfOrder));
            csv.Append(',').Append(Number(o.WallTime.TotalSeconds)).Append(',').Append(Field(o.Failure)).Append(',').AppendLine(Field(o.ReportLink));
        }
        return csv.ToString();
    }

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside.</summary>
    public static string Field(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
