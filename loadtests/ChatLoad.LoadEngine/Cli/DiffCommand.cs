using ChatLoad.CommandLine;
using ChatLoad.LoadEngine.Diff;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Cli;

/// <summary><c>diff A/result.json B/result.json [--fail-if RULE]... [--report-dir DIR]</c>: two runs side by side
/// with deltas; exit 1 when a regression rule broke, 2 for a bad file or a rule naming what neither run has.</summary>
internal static class DiffCommand
{
    public static int Run(CommandLineOptions cli, TextWriter output, TextWriter errors)
    {
        var baseline = Load(cli.DiffBaseline!, errors);
        var candidate = Load(cli.DiffCandidate!, errors);
        if (baseline is null || candidate is null) return ExitCodes.Usage;

        RunDiff diff;
        try
        {
            diff = RunDiff.Compute(baseline, candidate, cli.FailIf.Select(RegressionRule.Parse).ToArray());
        }
        catch (FormatException ex)
        {
            errors.WriteLine($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        output.Write(diff.Render(markdown: false));
        if (cli.ReportDir is { } folder)
        {
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "diff.md");
            File.WriteAllText(path, diff.Render(markdown: true));
            output.WriteLine($"report: {Path.GetFullPath(path)}");
        }
        return diff.Regressed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static RunResult? Load(string path, TextWriter errors)
    {
        try
        {
            return RunResultJson.Deserialize(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException or InvalidDataException)
        {
            errors.WriteLine($"error: {path}: {ex.Message}");
            return null;
        }
    }
}
