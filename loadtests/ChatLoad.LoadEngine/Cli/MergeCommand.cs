using ChatLoad.LoadEngine.LiveConsole;
using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Results;
using Spectre.Console;

namespace ChatLoad.LoadEngine.Cli;

/// <summary><c>merge --report-dir DIR A.json B.json ...</c>: one result and one report from several shards.</summary>
internal static class MergeCommand
{
    public static int Run(CommandLineOptions cli, IAnsiConsole console, TextWriter errors)
    {
        var shards = new List<RunResult>();
        foreach (var path in cli.MergeInputs)
        {
            try
            {
                shards.Add(RunResultJson.Deserialize(File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                errors.WriteLine($"error: {path}: {ex.Message}");
                return LoadTestApp.ExitUsage;
            }
        }

        RunResult merged;
        try
        {
            merged = RunResultMerger.Merge(shards);
        }
        catch (FormatException ex)
        {
            errors.WriteLine($"error: cannot merge: {ex.Message}");
            return LoadTestApp.ExitUsage;
        }
        if (cli.Name is not null) merged = merged with { Info = merged.Info with { TestName = cli.Name } };
        merged = merged with { Info = merged.Info with { Command = "loadtest merge " + string.Join(" ", cli.MergeInputs) } };

        var folder = cli.ReportDir ?? Path.Combine("reports", $"merged-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var formats = cli.ReportFormats ?? Enum.GetValues<ReportFormat>();
        SummaryTable.Write(console, merged, interactive: false);
        foreach (var file in ReportWriter.WriteAll(merged, folder, formats.ToList())) console.WriteLine($"report: {file}");
        console.WriteLine($"merged {shards.Count} results ({merged.ShardCount} shards)");
        return merged.AllThresholdsPassed ? LoadTestApp.ExitOk : LoadTestApp.ExitThresholdsFailed;
    }
}
