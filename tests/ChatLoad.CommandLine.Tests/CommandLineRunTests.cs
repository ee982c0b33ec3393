using System.CommandLine;
using ChatLoad.CommandLine;

namespace ChatLoad.CommandLine.Tests;

/// <summary>How every program reports a mistake: one line per problem, the nearest option suggested, exit code 2,
/// and the action never runs.</summary>
public class CommandLineRunTests
{
    private static (int Exit, string Out, string Err, bool Ran) Run(params string[] args)
    {
        bool ran = false;
        var port = Options.Int("--port", "TCP port", 0, 65535, 6667);
        var timeout = Options.Duration("--send-timeout", "longest send", TimeSpan.FromSeconds(2));
        var root = new RootCommand("test") { port, timeout };
        root.SetAction(_ => { ran = true; return 0; });
        var output = new StringWriter();
        var errors = new StringWriter();
        int exit = CommandLineRun.Invoke(root, args, "prog", output, errors);
        return (exit, output.ToString(), errors.ToString(), ran);
    }

    [Theory]
    [InlineData("prog: unknown option '--prot' (did you mean --port?) (see --help)", "--prot", "7000")]
    [InlineData("prog: --send-timeout: '2' has no unit: write 2s, 2ms or 2m (a bare number is not a duration) (see --help)", "--send-timeout", "2")]
    [InlineData("prog: --port: 'abc' is not a whole number from 0 to 65,535 (see --help)", "--port", "abc")]
    public void A_mistake_is_one_line_exit_2_and_nothing_runs(string expected, params string[] args)
    {
        var (exit, _, err, ran) = Run(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(expected, err.Trim());
        Assert.False(ran);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--port", "7000", "--help")]
    [InlineData("--prot", "7000", "--help")]
    public void Help_anywhere_shows_defaults_and_runs_nothing(params string[] args)
    {
        var (exit, output, _, ran) = Run(args);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("[default: 2s]", output);
        Assert.Contains("[default: 6667]", output);
        Assert.False(ran);
    }

    [Fact]
    public void Good_arguments_run_the_action()
    {
        var (exit, _, err, ran) = Run("--port", "7000", "--send-timeout", "500ms");
        Assert.Equal((0, "", true), (exit, err, ran));
    }

    [Theory]
    [InlineData("--prot", "--port")]
    [InlineData("--duraton", "--duration")]
    [InlineData("--sned-timeout", "--send-timeout")]
    [InlineData("--colour", null)]
    public void Suggestions_find_the_option_a_typo_meant(string typed, string? meant) =>
        Assert.Equal(meant, Suggestions.Nearest(typed, ["--port", "--duration", "--send-timeout", "--clients"]));
}
