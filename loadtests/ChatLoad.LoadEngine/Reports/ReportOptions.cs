using ChatLoad.LoadEngine.Reports.Html;

namespace ChatLoad.LoadEngine.Reports;

/// <summary>How <see cref="ReportWriter"/> names and renders the report files.</summary>
public sealed record ReportOptions
{
    /// <summary>
    /// How <c>report.html</c> gets plotly.js. Default <see cref="PlotlyScript.Embedded"/>: the script (~3.6 MB) is
    /// inlined once so the single file opens offline anywhere. When many reports share one folder (the comparison),
    /// use <see cref="PlotlyScript.RelativeFile"/> after <see cref="PlotlyScript.WriteSharedCopy"/> so each report
    /// stays small and still offline.
    /// </summary>
    public PlotlyScript PlotlyScript { get; init; } = PlotlyScript.Embedded;

    /// <summary>
    /// Put before every file name, e.g. <c>"threads-1000-"</c> gives <c>threads-1000-report.html</c>, so that several
    /// runs can write into one folder without overwriting each other. Default <c>""</c>. Must be a plain file-name
    /// fragment (no directory separators or characters invalid in file names).
    /// </summary>
    public string FileNamePrefix { get; init; } = "";

    /// <summary>Heading of the HTML, Markdown and text reports. Default (null): the result's test name.</summary>
    public string? Title { get; init; }
}
