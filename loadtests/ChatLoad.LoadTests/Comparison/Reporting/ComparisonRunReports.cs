using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Reports.Html;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Re-renders each run's report.html to load the comparison's one shared plotly.js by a relative path, instead of
/// the 3.6 MB copy the load CLI inlines: dozens of runs then weigh kilobytes each, and the folder still opens offline.
/// </summary>
internal static class ComparisonRunReports
{
    public static string SharedScriptName => PlotlyScript.DefaultSharedFileName;

    /// <summary>Writes plotly.js once into the comparison folder (idempotent) and returns its path.</summary>
    public static string EnsureSharedScript(string outputRoot)
    {
        string path = Path.Combine(outputRoot, SharedScriptName);
        return File.Exists(path) ? path : PlotlyScript.WriteSharedCopy(outputRoot, SharedScriptName);
    }

    /// <summary>The run's report.html path, or null when it could not be written (the load CLI's own, if any, stays).</summary>
    public static string? Rerender(RunResult result, string runDir, string outputRoot)
    {
        string report = Path.Combine(runDir, "report.html");
        try
        {
            EnsureSharedScript(outputRoot);
            string relative = Path.GetRelativePath(runDir, Path.Combine(outputRoot, SharedScriptName)).Replace('\\', '/');
            ReportWriter.WriteAll(result, runDir, [ReportFormat.Html], new ReportOptions { PlotlyScript = PlotlyScript.RelativeFile(relative) });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
        {
            // The load CLI's own (self-contained) report is still there; only its size suffers.
            File.AppendAllText(Path.Combine(runDir, "console.txt"), $"comparison: could not re-render report.html: {ex.Message}\n");
        }
        return File.Exists(report) ? report : null;
    }
}
