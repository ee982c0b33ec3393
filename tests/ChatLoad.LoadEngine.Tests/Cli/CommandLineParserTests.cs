using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Tests.Cli;

public class CommandLineParserTests
{
    [Fact]
    public void Parses_every_run_option()
    {
        var options = CommandLineParser.Parse([
            "--scenario", "ping-pong,fan-out", "--scenario=churn", "--target", "127.0.0.1:6667", "--clients", "200",
            "--rate=1500.5", "--duration", "1m", "--warmup", "5s", "--config", "c.json", "--report-dir", "out",
            "--report-format", "html,md", "--threshold", "p99 < 50ms", "--threshold", "fail% < 1",
            "--set", "channels=4", "--set", "motd=a=b", "--name", "nightly"]);

        Assert.Equal(CommandKind.Run, options.Command);
        Assert.Equal(["ping-pong", "fan-out", "churn"], options.Scenarios);
        Assert.Equal(("127.0.0.1:6667", 200, 1500.5), (options.Target, options.Clients, options.Rate));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5)), (options.Duration, options.WarmUp));
        Assert.Equal(("c.json", "out", "nightly"), (options.ConfigFile, options.ReportDir, options.Name));
        Assert.Equal([ReportFormat.Html, ReportFormat.Markdown], options.ReportFormats!);
        Assert.Equal(["p99 < 50ms", "fail% < 1"], options.Thresholds);
        Assert.Equal(new Dictionary<string, string> { ["channels"] = "4", ["motd"] = "a=b" }, options.Settings);
    }

    [Theory]
    [InlineData(new[] { "--list" }, "List")]
    [InlineData(new[] { "--help" }, "Help")]
    [InlineData(new[] { "--list", "--help" }, "Help")]
    [InlineData(new[] { "--scenario", "x", "--bogus", "--help" }, "Help")]
    [InlineData(new[] { "diff", "a.json", "b.json" }, "Diff")]
    [InlineData(new string[0], "Run")]
    public void Recognises_commands(string[] args, string command) => Assert.Equal(command, CommandLineParser.Parse(args).Command.ToString());

    [Fact]
    public void Parses_merge_with_its_files()
    {
        var options = CommandLineParser.Parse(["merge", "--report-dir", "merged", "a.json", "b.json"]);
        Assert.Equal((CommandKind.Merge, "merged"), (options.Command, options.ReportDir));
        Assert.Equal(["a.json", "b.json"], options.MergeInputs);
    }

    [Fact]
    public void Parses_diff_with_its_rules()
    {
        var options = CommandLineParser.Parse(["diff", "a/result.json", "b/result.json", "--fail-if", "e2e p99 > +10%", "--fail-if", "throughput < -5%"]);
        Assert.Equal((CommandKind.Diff, "a/result.json", "b/result.json"), (options.Command, options.DiffBaseline, options.DiffCandidate));
        Assert.Equal(["e2e p99 > +10%", "throughput < -5%"], options.FailIf);
    }

    [Theory]
    [InlineData(new[] { "--colour", "red" }, "unknown option '--colour'")]
    [InlineData(new[] { "--duraton", "2s" }, "unknown option '--duraton' (did you mean --duration?)")]
    [InlineData(new[] { "--clients", "many" }, "--clients: 'many' is not a whole number")]
    [InlineData(new[] { "--clients", "0" }, "is not a whole number of at least 1")]
    [InlineData(new[] { "--rate", "-5" }, "is not a positive number")]
    [InlineData(new[] { "--duration", "30" }, "'30' has no unit")]
    [InlineData(new[] { "--warmup", "soon" }, "'soon' is not a duration")]
    [InlineData(new[] { "diff", "a.json" }, "Required argument missing")]
    [InlineData(new[] { "diff", "a.json", "b.json", "--fail-if", "p99 bigger" }, "bad rule")]
    [InlineData(new[] { "diff", "a.json", "b.json", "--fail-if", "latency > +10%" }, "unknown metric 'latency'")]
    [InlineData(new[] { "--duration", "0s" }, "must be positive")]
    [InlineData(new[] { "--target", "localhost" }, "write HOST:PORT")]
    [InlineData(new[] { "--target", "localhost:99999" }, "write HOST:PORT")]
    [InlineData(new[] { "--threshold", "p99 << 5" }, "bad threshold")]
    [InlineData(new[] { "--set", "novalue" }, "write key=value")]
    [InlineData(new[] { "--report-format", "pdf" }, "report format 'pdf' is unknown")]
    [InlineData(new[] { "--scenario" }, "--scenario needs a value")]
    [InlineData(new[] { "ping-pong" }, "unexpected argument 'ping-pong'")]
    [InlineData(new[] { "merge" }, "merge needs the result files")]
    public void Mistakes_are_usage_errors(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => CommandLineParser.Parse(args)).Message);
}
