using System.CommandLine;
using ChatLoad.CommandLine;

namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>
/// <c>compare --scale-table</c> (<c>./scripts/compare.sh --scale-table</c>): re-measures issue 9's table with the
/// independent generator and the suite's own side by side, server on core 0 and generator on core 1, and writes
/// scale-table.md/.json/.html. Exit codes: 0 table written (a failed cell is a result), 1 it could not run, 2 bad
/// arguments.
/// </summary>
public static class ScaleTableCommand
{
    public const string Switch = "--scale-table";

    private static readonly Option<bool> ScaleTableFlag = new(Switch) { Description = "re-measure issue 9's table with both generators (this command)" };
    private static readonly Option<bool> Tiny = new("--tiny") { Description = "a few hundred clients, a second or two per run (the test's preset)" };
    private static readonly Option<string[]> Servers = Options.List("--servers", "servers, in column order [default: ngircd,inspircd,async,threads,py-threads,py-asyncio]", ServersUnderTest.Known.ToArray(), "name[,name]");
    private static readonly Option<string[]> Rows = Options.List("--rows", "only these rows (ids as in the report: idle-10k, rooms100-198k ...)", null, "id[,id]");
    private static readonly Option<string[]> Generators = Options.List("--generators", "independent, suite or both [default: both]", [IndependentGenerator.Name, SuiteGenerator.Name], "name[,name]");
    private static readonly Option<string> Out = new("--out") { Description = "report folder [default: reports/<UTC timestamp>-scale-table]", HelpName = "dir" };
    private static readonly Option<string> ServerDll = new("--server-dll") { Description = "ChatLoad.Server.dll [default: beside this build]", HelpName = "path" };
    private static readonly Option<string> LoadDll = new("--load-dll") { Description = "ChatLoad.LoadTests.dll [default: this one]", HelpName = "path" };
    private static readonly Option<TimeSpan?> MaxTime = Options.Duration("--max-time", "bound on the whole table; past it the rest is skipped and the report still written", TimeSpan.FromMinutes(35), TimeSpan.FromSeconds(1));
    private static readonly Option<string> ReportOnly = new("--report-only") { Description = "render DIR's scale-table.json again, run nothing", HelpName = "dir" };
    private static readonly Option<bool> NoPin = new("--no-pin") { Description = "do not pin server and generator to separate cores" };

    public static bool Wants(IReadOnlyList<string> args) => args.Contains(Switch);

    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "Re-measures issue 9's table (idle memory per client, fan-out in rooms of 10, 100 and 1,000, connect storms) against " +
            "ngIRCd, InspIRCd, both ChatLoad modes and the two Python servers, with the independent C generator " +
            "(loadtests/independent-generator) and the suite's own side by side. Default: about 20-25 minutes on 2 cores.")
        {
            ScaleTableFlag, Tiny, Servers, Rows, Generators, Out, ServerDll, LoadDll, MaxTime, NoPin, ReportOnly,
        };
        root.SetAction((parsed, ct) => RunAsync(parsed, string.Join(" ", ["compare", .. args]), ct));
        return CommandLineRun.InvokeAsync(root, args, ComparisonArgs.Program);
    }

    private static async Task<int> RunAsync(ParseResult p, string commandLine, CancellationToken ct)
    {
        if (p.GetValue(ReportOnly) is { } folder)
        {
            try
            {
                var saved = ScaleTableReport.Load(folder);
                var again = ScaleTableReport.Write(saved, folder);
                Console.WriteLine(ScaleTableReport.Markdown(saved).Split("\n## Every run")[0]);
                Console.WriteLine($"report: {again.Markdown}");
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidDataException)
            {
                Console.Error.WriteLine($"compare --scale-table --report-only: {ex.Message}");
                return ExitCodes.Failed;
            }
        }
        bool tiny = p.GetValue(Tiny);
        var rows = tiny ? ScaleTablePresets.Tiny() : ScaleTablePresets.Default();
        if (p.GetValue(Rows) is { Length: > 0 } only)
        {
            var unknown = only.Where(id => rows.All(r => r.Id != id)).ToArray();
            if (unknown.Length > 0)
            {
                Console.Error.WriteLine($"compare --scale-table: unknown row {string.Join(", ", unknown)}; the preset's rows: {string.Join(", ", rows.Select(r => r.Id))}");
                return ExitCodes.Usage;
            }
            rows = [.. rows.Where(r => only.Contains(r.Id))];
        }
        var options = new ScaleTableOptions
        {
            Rows = rows,
            Servers = p.GetValue(Servers) is { Length: > 0 } s ? s : tiny ? ["async", "threads"] : ScaleTablePresets.DefaultServers,
            Generators = p.GetValue(Generators) is { Length: > 0 } g ? g : [IndependentGenerator.Name, SuiteGenerator.Name],
            ServerDll = p.GetValue(ServerDll),
            LoadDll = p.GetValue(LoadDll),
            PinCores = !p.GetValue(NoPin),
            MaxWallTime = p.GetValue(MaxTime) ?? TimeSpan.FromMinutes(35),
            Preset = tiny ? "tiny" : "default",
            CommandLine = commandLine,
        };
        if (p.GetValue(Out) is { } outDir) options = options with { OutputDirectory = outDir };
        // Absolute: the reference servers' configs and PID files are written under it, and InspIRCd resolves a
        // relative PID path against its own run directory (it then cannot write it and exits).
        options = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory) };
        try
        {
            var results = await new ScaleTableRunner(options, Console.Out).RunAsync(ct);
            var written = ScaleTableReport.Write(results, options.OutputDirectory);
            Console.WriteLine();
            Console.WriteLine(ScaleTableReport.Markdown(results).Split("\n## Every run")[0]);
            Console.WriteLine($"report: {written.Markdown}");
            Console.WriteLine($"report: {written.Html}");
            Console.WriteLine($"report: {written.Json}");
            return ExitCodes.Ok;
        }
        catch (ComparisonAbortedException ex)
        {
            Console.Error.WriteLine($"compare --scale-table: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("compare --scale-table: cancelled");
            return ExitCodes.Failed;
        }
    }
}
