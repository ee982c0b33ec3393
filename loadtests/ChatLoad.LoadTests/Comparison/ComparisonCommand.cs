using ChatLoad.CommandLine;
using ChatLoad.LoadEngine.Diff;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// <c>ChatLoad.LoadTests.dll compare ...</c>: runs the chat scenarios against each server under test, searches each
/// model's highest sustainable load, and writes one side-by-side report with the answer first.
/// <c>scripts/compare.sh</c> is its front door. Exit codes: 0 = report written (failures of a server at a rung are
/// results, not errors), 1 = a <c>--fail-if</c> rule against the baseline broke, or the comparison itself could not
/// run (e.g. a build is missing), 2 = bad arguments.
/// </summary>
public static class ComparisonCommand
{
    public static Task<int> RunAsync(string[] args) => ScaleTable.ScaleTableCommand.Wants(args)
        ? ScaleTable.ScaleTableCommand.RunAsync(args.SkipWhile(a => a == "compare").ToArray())
        : CommandLineRun.InvokeAsync(ComparisonArgs.Create((options, _) => RunAsync(options with
        {
            CommandLine = string.Join(" ", ["compare", .. args.SkipWhile(a => a == "compare")]),
        })), args.SkipWhile(a => a == "compare").ToArray(), ComparisonArgs.Program);

    private static async Task<int> RunAsync(ComparisonOptions options)
    {
        // The baseline is read first: a wrong folder or a rule it cannot apply must not cost a five-minute run.
        ComparisonResults? baseline = null;
        IReadOnlyList<RegressionRule> rules = options.FailIf.Select(RegressionRule.Parse).ToArray();
        if (options.Baseline is { } baselineFolder)
        {
            try
            {
                baseline = ComparisonResultsJson.Load(baselineFolder);
            }
            catch (ComparisonAbortedException ex)
            {
                Console.Error.WriteLine($"compare: --baseline: {ex.Message}");
                return ExitCodes.Usage;
            }
        }

        if (options.ReportOnly is { } folder)
        {
            try
            {
                var saved = ComparisonResultsJson.Load(folder);
                return Finish(saved, folder, baseline, options.Baseline, rules, printRuns: false);
            }
            catch (ComparisonAbortedException ex)
            {
                Console.Error.WriteLine($"compare: {ex.Message}");
                return ExitCodes.Failed;
            }
        }

        var plan = PlanPresets.Build(options);
        Console.WriteLine(PlanPrinter.Describe(plan));
        if (options.PlanOnly) return ExitCodes.Ok;

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var runner = new ComparisonRunner(options, plan, TimeProvider.System, Console.Out);
            var results = await runner.RunAsync(cancel.Token);
            return Finish(results, options.OutputDirectory, baseline, options.Baseline, rules, printRuns: true);
        }
        catch (ComparisonAbortedException ex)
        {
            Console.Error.WriteLine($"compare: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"compare: could not write the report: {ex.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Adds the baseline comparison, writes the reports and prints the answer; the exit code follows the rules.</summary>
    private static int Finish(ComparisonResults results, string folder, ComparisonResults? baseline, string? baselineFolder,
        IReadOnlyList<RegressionRule> rules, bool printRuns)
    {
        if (baseline is not null)
        {
            try
            {
                results = results with { Baseline = BaselineComparison.Compute(baseline, results, rules, Path.GetFullPath(baselineFolder!)) };
            }
            catch (FormatException ex)
            {
                // The run still gets its report; the rule that could not be applied is a usage error.
                Console.Error.WriteLine($"compare: --fail-if: {ex.Message}");
                Console.WriteLine($"report: {ComparisonReportWriter.Write(results, folder).IndexHtml}");
                return ExitCodes.Usage;
            }
        }
        var written = ComparisonReportWriter.Write(results, folder);
        Console.WriteLine();
        if (printRuns) Console.WriteLine(results.WallTimeLine());
        var answer = Answer.For(results);
        Console.WriteLine(answer.Headline);
        foreach (var clause in answer.Clauses) Console.WriteLine("  - " + clause);
        if (results.Baseline is { } b)
        {
            foreach (var broken in b.Rules.Where(r => r.Broken)) Console.WriteLine($"REGRESSION: {broken.Rule.Expression}: {broken.Message}");
            if (b.Rules.Count > 0 && !b.Regressed) Console.WriteLine($"against the baseline: every rule held ({b.Rules.Count} checks)");
        }
        Console.WriteLine($"report: {written.IndexHtml}");
        return results.Baseline is { Regressed: true } ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
