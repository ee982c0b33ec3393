namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// <c>ChatLoad.LoadTests.dll compare ...</c>: runs the chat scenarios against the server in each connection model,
/// over a ladder of client counts, and writes one side-by-side report. <c>scripts/compare.sh</c> is its front door.
/// Exit codes: 0 = report written (failures of a mode at a rung are results, not errors), 2 = bad arguments,
/// 1 = the comparison itself could not run (e.g. the server never started).
/// </summary>
public static class ComparisonCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = ComparisonArgs.Parse(args);
        if (parsed.Error is not null)
        {
            Console.Error.WriteLine($"compare: {parsed.Error}");
            Console.Error.WriteLine("run 'compare --help' for the options");
            return 2;
        }
        var options = parsed.Options! with { CommandLine = string.Join(" ", ["compare", .. args.SkipWhile(a => a == "compare")]) };
        if (options.ShowHelp)
        {
            Console.WriteLine(ComparisonArgs.HelpText);
            return 0;
        }

        if (options.ReportOnly is { } folder)
        {
            try
            {
                var saved = ComparisonResultsJson.Load(folder);
                Console.WriteLine($"report: {ComparisonReportWriter.Write(saved, folder).IndexHtml}");
                return 0;
            }
            catch (ComparisonAbortedException ex)
            {
                Console.Error.WriteLine($"compare: {ex.Message}");
                return 1;
            }
        }

        var plan = PlanPresets.Build(options);
        Console.WriteLine(PlanPrinter.Describe(plan));
        if (options.PlanOnly) return 0;

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var runner = new ComparisonRunner(options, plan, TimeProvider.System, Console.Out);
            var results = await runner.RunAsync(cancel.Token);
            var written = ComparisonReportWriter.Write(results, options.OutputDirectory);
            Console.WriteLine();
            Console.WriteLine(results.WallTimeLine());
            foreach (var line in VerdictLines(results)) Console.WriteLine(line);
            Console.WriteLine($"report: {written.IndexHtml}");
            return 0;
        }
        catch (ComparisonAbortedException ex)
        {
            Console.Error.WriteLine($"compare: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"compare: could not write the report: {ex.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static IEnumerable<string> VerdictLines(ComparisonResults results) =>
        results.Scenarios().Select(s => $"{s}: {ScenarioVerdict.For(results.Table(s), results.Modes).Text}");
}
