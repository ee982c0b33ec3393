using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary><c>result.json</c>: the raw result in the engine's own JSON shape, so it can be merged and re-rendered.</summary>
internal sealed class JsonReportWriter : IReportFormatWriter
{
    public const string FileName = "result.json";

    public IReadOnlyList<string> FileNames => [FileName];

    public IReadOnlyList<ReportFile> Render(RunResult result, ReportOptions options) =>
        [new ReportFile(FileName, RunResultJson.Serialize(result))];
}
