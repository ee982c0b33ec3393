using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>One rendered report file: its name (without the caller's prefix) and its text.</summary>
internal sealed record ReportFile(string FileName, string Content);

/// <summary>Renders one report format from a result. Rendering is pure; <see cref="ReportWriter"/> does the I/O.</summary>
internal interface IReportFormatWriter
{
    /// <summary>The files this format produces, main file first.</summary>
    IReadOnlyList<string> FileNames { get; }

    /// <summary>Renders every file of this format, in the order of <see cref="FileNames"/>.</summary>
    IReadOnlyList<ReportFile> Render(RunResult result, ReportOptions options);
}
