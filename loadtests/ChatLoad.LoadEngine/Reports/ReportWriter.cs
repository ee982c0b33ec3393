using ChatLoad.LoadEngine.Reports.Formats;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports;

/// <summary>Writes a run's reports (HTML, Markdown, CSV, text, JSON, JUnit XML) into a folder, all rendered from one <see cref="RunResult"/>.</summary>
public static class ReportWriter
{
    /// <summary>
    /// Writes one file per requested format (CSV writes two: the summary and the time series) into
    /// <paramref name="folder"/>, creating it if needed, and returns the full paths written, in the order of
    /// <paramref name="formats"/> (duplicates written once). Each file is written to a temporary name first and then
    /// moved into place, so a reader never sees a half-written report.
    /// </summary>
    /// <exception cref="ArgumentException">The folder is empty, or a format or option is invalid.</exception>
    public static IReadOnlyList<string> WriteAll(RunResult result, string folder,
        IReadOnlyCollection<ReportFormat> formats, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(formats);
        if (string.IsNullOrWhiteSpace(folder))
            throw new ArgumentException("The report folder must be a non-empty path.", nameof(folder));
        options ??= new ReportOptions();
        ValidateFileNamePrefix(options.FileNamePrefix);

        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var format in formats.Distinct())
        {
            foreach (var file in WriterFor(format).Render(result, options))
            {
                var path = Path.Combine(folder, options.FileNamePrefix + file.FileName);
                WriteAtomically(path, file.Content);
                written.Add(Path.GetFullPath(path));
            }
        }
        return written;
    }

    /// <summary>
    /// Renders one format to text without touching the disk (e.g. to print the text summary on the console).
    /// For <see cref="ReportFormat.Csv"/> this is the summary CSV only.
    /// </summary>
    public static string Render(RunResult result, ReportFormat format, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return WriterFor(format).Render(result, options ?? new ReportOptions())[0].Content;
    }

    /// <summary>The file names a format writes, before <see cref="ReportOptions.FileNamePrefix"/>.</summary>
    public static IReadOnlyList<string> FileNamesOf(ReportFormat format) => WriterFor(format).FileNames;

    private static IReportFormatWriter WriterFor(ReportFormat format) => format switch
    {
        ReportFormat.Html => new HtmlReportWriter(),
        ReportFormat.Markdown => new MarkdownReportWriter(),
        ReportFormat.Csv => new CsvReportWriter(),
        ReportFormat.Text => new TextReportWriter(),
        ReportFormat.Json => new JsonReportWriter(),
        ReportFormat.JUnit => new JUnitReportWriter(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format,
            $"Unknown report format; known: {string.Join(", ", Enum.GetNames<ReportFormat>())}."),
    };

    private static void ValidateFileNamePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix, nameof(ReportOptions.FileNamePrefix));
        if (prefix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || prefix.Contains('/') || prefix.Contains('\\')
            || prefix is "." or "..")
            throw new ArgumentException(
                $"ReportOptions.FileNamePrefix '{prefix}' must be a plain file-name fragment (no directories or invalid characters).",
                nameof(ReportOptions));
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }
}
