using ChatLoad.LoadEngine.Reports.Html;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>Writes index.html (with one shared local plotly.js beside it), summary.md and summary.csv.</summary>
public static class ComparisonReportWriter
{
    public sealed record Written(string IndexHtml, string SummaryMarkdown, string SummaryCsv);

    public static Written Write(ComparisonResults results, string outputDirectory)
    {
        string root = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(root);
        ComparisonRunReports.EnsureSharedScript(root);
        var script = PlotlyScript.RelativeFile(ComparisonRunReports.SharedScriptName);
        var written = new Written(Path.Combine(root, "index.html"), Path.Combine(root, "summary.md"), Path.Combine(root, "summary.csv"));
        WriteAtomically(written.IndexHtml, ComparisonHtmlReport.Render(results, script));
        WriteAtomically(written.SummaryMarkdown, SummaryMarkdown.Render(results));
        WriteAtomically(written.SummaryCsv, SummaryCsv.Render(results));
        ComparisonResultsJson.Save(results, root);
        return written;
    }

    private static void WriteAtomically(string path, string content)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
