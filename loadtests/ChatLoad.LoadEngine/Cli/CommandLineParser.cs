using System.CommandLine;
using System.Globalization;
using ChatLoad.CommandLine;
using ChatLoad.LoadEngine.Cluster.Protocol;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Diff;
using ChatLoad.LoadEngine.Reports;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>
/// The load engine's command line on System.CommandLine: a run (<c>--scenario ...</c>), <c>--list</c>,
/// <c>merge</c> and <c>diff</c>. Every value is checked here, before anything starts: unknown options (with the
/// nearest known one suggested), durations in the one grammar, thresholds in their grammar, report formats.
/// Any mistake is a <see cref="UsageException"/> (exit code 2).
/// </summary>
internal static class CommandLineParser
{
    private static readonly Option<string[]> Scenario = Options.List("--scenario", "scenario to run; repeat or comma-separate to run several at once", helpName: "name[,name]");
    private static readonly Option<string> Target = new("--target") { Description = "the system under test", HelpName = "host:port", Validators = { r => Check(r, ValidTarget) } };
    private static readonly Option<int?> Clients = Options.Int("--clients", "connections / concurrent copies", 1, int.MaxValue);
    private static readonly Option<double?> Rate = Options.Number("--rate", "open-model iterations per second", 0, 1e9, "per-second");
    private static readonly Option<TimeSpan?> DurationOption = Options.Duration("--duration", "measured duration, e.g. 30s, 1m30s", min: TimeSpan.FromMilliseconds(1));
    private static readonly Option<TimeSpan?> WarmUp = Options.Duration("--warmup", "warm-up before measuring (not counted)");
    private static readonly Option<string> Config = new("--config") { Description = "JSON config (settings, load simulations, thresholds, reports); options here override it", HelpName = "file" };
    private static readonly Option<string> ReportDir = new("--report-dir") { Description = "report folder [default: reports/<name>-<time>]", HelpName = "dir" };
    private static readonly Option<string> ReportFormats = new("--report-format")
    {
        Description = "html,md,csv,txt,json,junit or all [default: all]",
        HelpName = "list",
        Validators = { r => Check(r, v => ParseFormats(v).Count > 0 ? null : "") },
    };
    private static readonly Option<string[]> Thresholds = new("--threshold")
    {
        Description = "e.g. \"p99 < 50ms\", \"fail% < 1\", \"counter:lost == 0\", \"hist:e2e latency:p99 < 50ms\"; repeatable; a broken one makes the exit code 1",
        HelpName = "expr",
        Arity = ArgumentArity.OneOrMore,
        Validators = { r => CheckEach(r, t => { ThresholdParser.ParseSpec(t); return null; }, "--threshold: ") },
    };
    private static readonly Option<string[]> Settings = new("--set")
    {
        Description = "scenario-specific setting (repeatable), e.g. --set room-size=10",
        HelpName = "key=value",
        Arity = ArgumentArity.OneOrMore,
        Validators = { r => CheckEach(r, s => s.IndexOf('=') > 0 ? null : $"--set '{s}': write key=value", "") },
    };
    private static readonly Option<string> Name = new("--name") { Description = "test name in the reports", HelpName = "name" };
    private static readonly Option<bool> List = new("--list") { Description = "show the scenarios and run nothing" };
    private static readonly Option<string[]> Assemblies = new("--assembly")
    {
        Description = "load the scenarios of a .dll built from loadtests/examples (repeatable); a missing or broken assembly is exit code 2",
        HelpName = "path",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<string> Cluster = new("--cluster")
    {
        Description = "run on agents (loadtest agent --nats URL) over this NATS server instead of in this process; needs --agents",
        HelpName = "nats://host:port",
        Validators = { r => Check(r, ValidNatsUrl) },
    };
    private static readonly Option<int?> Agents = Options.Int("--agents", "with --cluster: how many agents the run needs", 1, 1000);
    private static readonly Option<TimeSpan?> AgentWait = Options.Duration("--agent-wait", "with --cluster: how long to wait for the agents", TimeSpan.FromSeconds(30), min: TimeSpan.FromMilliseconds(100));
    private static readonly Option<TimeSpan?> AgentTimeout = Options.Duration("--agent-timeout", "with --cluster: an agent silent this long is lost", TimeSpan.FromSeconds(5), min: TimeSpan.FromSeconds(1));
    private static readonly Option<string> OnAgentLoss = new("--on-agent-loss")
    {
        Description = "with --cluster: continue (the others go on) or stop (the others stop too) when an agent is lost [default: continue]",
        HelpName = "continue|stop",
        Validators = { r => Check(r, v => v is "continue" or "stop" ? null : $"--on-agent-loss '{v}': write continue or stop") },
    };
    private static readonly Option<string> IterationsOn = new("--iterations-on")
    {
        Description = "with --cluster: run the scenarios' iterations (the senders) only on agents of this --group; the others hold clients that receive",
        HelpName = "group",
        Validators = { r => Check(r, v => ClusterProtocol.IsValidName(v) ? null : $"--iterations-on '{v}': a group name is letters, digits, '-' and '_'") },
    };
    private static readonly Option<int?> MetricsPort = Options.Int("--metrics-port", "serve the run's per-second figures for Prometheus at http://127.0.0.1:N/metrics (0 = a free port)", 0, 65535);
    private static readonly Option<string> MetricsBind = new("--metrics-bind")
    {
        Description = "the address --metrics-port listens on [default: 127.0.0.1]",
        HelpName = "address",
        Validators = { r => Check(r, v => System.Net.IPAddress.TryParse(v, out _) ? null : $"--metrics-bind '{v}' is not an IP address") },
    };

    private static readonly Option<string> AgentNats = new("--nats")
    {
        Description = "the NATS server the coordinator uses (its --cluster)",
        HelpName = "nats://host:port",
        Required = true,
        Validators = { r => Check(r, ValidNatsUrl) },
    };
    private static readonly Option<string> AgentName = new("--name")
    {
        Description = "this agent's name, unique among the agents [default: host name and process id]",
        HelpName = "name",
        Validators = { r => Check(r, v => ClusterProtocol.IsValidName(v) ? null : $"--name '{v}': an agent name is 1-64 letters, digits, '-' and '_'") },
    };
    private static readonly Option<string> AgentGroup = new("--group")
    {
        Description = "a group the coordinator can pin a scenario's iterations to (--iterations-on)",
        HelpName = "group",
        Validators = { r => Check(r, v => ClusterProtocol.IsValidName(v) ? null : $"--group '{v}': a group name is letters, digits, '-' and '_'") },
    };
    private static readonly Option<string[]> AgentSources = Options.List("--source-ip", "local addresses this agent's clients bind, e.g. 127.0.0.2 (repeat or comma-separate) [default: the kernel's choice]", helpName: "address");

    private static readonly Argument<string[]> MergeInputs = new("results") { Description = "result.json files of the shards", Arity = ArgumentArity.OneOrMore };
    private static readonly Argument<string> DiffBaseline = new("baseline") { Description = "the earlier run's result.json (the reference)" };
    private static readonly Argument<string> DiffCandidate = new("candidate") { Description = "the later run's result.json (checked against the reference)" };
    private static readonly Option<string[]> FailIf = new("--fail-if")
    {
        Description = "regression rule, repeatable: \"e2e p99 > +10%\", \"throughput < -5%\", \"p99 > +2ms\", \"fail% > +0.5\"; a broken one makes the exit code 1",
        HelpName = "rule",
        Arity = ArgumentArity.OneOrMore,
        Validators = { r => CheckEach(r, t => { RegressionRule.Parse(t); return null; }, "--fail-if: ") },
    };

    public const string Grammar = """

        Threshold grammar: [scenario/][step:NAME:]stat OP number[unit]
          stat: p50 p75 p95 p99 p99.9 min mean max stddev rps ok fail fail% count bytes_in bytes_out late dropped
                counter:NAME  gauge:NAME[:last|min|mean|max]  hist:NAME:p99
          OP: < <= > >= == !=     unit (latencies): us, ms (default), s
          Metric names (counter:, gauge:, hist:) are checked against what the scenarios declare before anything runs.

        Regression rules (diff --fail-if): [scenario/]metric OP signed-change
          metric: throughput (iterations/s), p50 p75 p95 p99 p99.9 max mean, fail%, "NAME p99" for a histogram
                  (a unique prefix will do: "e2e p99"), counter:NAME
          change: +10% / -5% relative to the baseline, or +2ms / +0.5 absolute (in the metric's unit)

        Durations everywhere: a number with a unit (us, ms, s, m, h), e.g. 500ms, 30s, 1m30s; a bare number is an error.

        Exit codes: 0 ok, 1 a threshold or regression rule broke (or a scenario failed to start), 2 bad command line
        or config, 3 the target did not answer (nothing was measured).
        """;

    private static RootCommand Root()
    {
        var root = new RootCommand("Runs load scenarios (NBomber's concepts) and writes reports: html, md, csv, txt, json, junit.")
        {
            Scenario, Target, Clients, Rate, DurationOption, WarmUp, Config, ReportDir, ReportFormats, Thresholds, Settings, Name, List, Assemblies,
            Cluster, Agents, AgentWait, AgentTimeout, OnAgentLoss, IterationsOn, MetricsPort, MetricsBind,
        };
        root.Validators.Add(r =>
        {
            if (r.GetValue(Cluster) is null)
                foreach (var needsCluster in new Option[] { Agents, AgentWait, AgentTimeout, OnAgentLoss, IterationsOn })
                    if (r.GetResult(needsCluster) is { Tokens.Count: > 0 })
                        r.AddError($"{needsCluster.Name} only applies to a cluster run: add --cluster nats://HOST:PORT");
            if (r.GetValue(Cluster) is not null && r.GetValue(Agents) is null)
                r.AddError("--cluster needs --agents K: how many agents the run waits for");
        });
        var merge = new Command("merge", "merge shard results into one result and report: merge --report-dir DIR A.json B.json ...")
        {
            ReportDir, ReportFormats, Name, MergeInputs,
        };
        var agent = new Command("agent", "a long-lived load agent: joins a NATS server and runs the share of a run a coordinator (--cluster) gives it")
        {
            AgentNats, AgentName, AgentGroup, AgentSources, Assemblies,
        };
        var diff = new Command("diff", "two runs side by side with deltas: diff A/result.json B/result.json [--fail-if RULE]...")
        {
            DiffBaseline, DiffCandidate, FailIf, ReportDir,
        };
        // Actions only make each command invocable for the parser (no "required command" error); LoadTestApp acts.
        root.SetAction(_ => 0);
        merge.SetAction(_ => 0);
        diff.SetAction(_ => 0);
        agent.SetAction(_ => 0);
        root.Subcommands.Add(merge);
        root.Subcommands.Add(agent);
        root.Subcommands.Add(diff);
        return root;
    }

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var root = Root();
        var parsed = root.Parse(args);
        string command = parsed.CommandResult.Command.Name;
        if (parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?"))
            return new CommandLineOptions { Command = CommandKind.Help, HelpText = Help(parsed) };
        if (parsed.Errors.Count > 0)
        {
            var problem = CommandLineRun.Problems(parsed)[0];
            if (command == "merge" && parsed.GetResult(MergeInputs) is not { Tokens.Count: > 0 })
                problem = "merge needs the result files to merge: merge --report-dir DIR A.json B.json ...";
            throw new UsageException(problem);
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in parsed.GetValue(Settings) ?? [])
            settings[s[..s.IndexOf('=')].Trim()] = s[(s.IndexOf('=') + 1)..];
        var options = new CommandLineOptions
        {
            Command = command switch
            {
                "merge" => CommandKind.Merge,
                "diff" => CommandKind.Diff,
                "agent" => CommandKind.Agent,
                _ => parsed.GetValue(List) ? CommandKind.List : CommandKind.Run,
            },
            Scenarios = parsed.GetValue(Scenario) ?? [],
            Target = parsed.GetValue(Target),
            Clients = parsed.GetValue(Clients),
            Rate = parsed.GetValue(Rate),
            Duration = parsed.GetValue(DurationOption),
            WarmUp = parsed.GetValue(WarmUp),
            ConfigFile = parsed.GetValue(Config),
            ReportDir = parsed.GetValue(ReportDir),
            ReportFormats = parsed.GetValue(ReportFormats) is { } formats ? ParseFormats(formats) : null,
            Thresholds = (parsed.GetValue(Thresholds) ?? []).Select(t => t.Trim()).ToArray(),
            Settings = settings,
            Name = parsed.GetValue(Name),
            Assemblies = (parsed.GetValue(Assemblies) ?? []).Distinct().ToArray(),
            MergeInputs = parsed.GetValue(MergeInputs) ?? [],
            DiffBaseline = parsed.GetValue(DiffBaseline),
            DiffCandidate = parsed.GetValue(DiffCandidate),
            FailIf = parsed.GetValue(FailIf) ?? [],
            Cluster = parsed.GetValue(Cluster),
            Agents = parsed.GetValue(Agents),
            AgentWait = parsed.GetValue(AgentWait),
            AgentTimeout = parsed.GetValue(AgentTimeout),
            OnAgentLoss = parsed.GetValue(OnAgentLoss),
            IterationsOn = parsed.GetValue(IterationsOn),
            MetricsPort = parsed.GetValue(MetricsPort),
            MetricsBind = parsed.GetValue(MetricsBind),
            AgentNats = parsed.GetValue(AgentNats),
            AgentName = parsed.GetValue(AgentName),
            AgentGroup = parsed.GetValue(AgentGroup),
            AgentSourceAddresses = parsed.GetValue(AgentSources) ?? [],
        };
        if (options.Command == CommandKind.Agent)
            foreach (var address in options.AgentSourceAddresses)
                if (!System.Net.IPAddress.TryParse(address, out _)) throw new UsageException($"--source-ip '{address}' is not an IP address");
        return options;
    }

    /// <summary>System.CommandLine's help for the command asked about, then the grammars and exit codes.</summary>
    private static string Help(ParseResult parsed)
    {
        var text = new StringWriter();
        var root = Root();
        string[] path = parsed.CommandResult.Command.Name is "merge" or "diff" or "agent" ? [parsed.CommandResult.Command.Name, "--help"] : ["--help"];
        root.Parse(path).Invoke(new InvocationConfiguration { Output = text });
        return text.ToString().TrimEnd() + Environment.NewLine + Grammar;
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, Func<string, string?> problem)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        try
        {
            if (problem(text) is { } p) result.AddError(p.Length > 0 ? p : $"{result.Option.Name} '{text}' is not valid");
        }
        catch (Exception ex) when (ex is UsageException or FormatException)
        {
            result.AddError(ex.Message);
        }
    }

    private static void CheckEach(System.CommandLine.Parsing.OptionResult result, Func<string, string?> problem, string prefix)
    {
        foreach (var token in result.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value)) { result.AddError($"{result.Option.Name} needs a non-empty value"); continue; }
            try
            {
                if (problem(token.Value) is { } p) result.AddError(p);
            }
            catch (FormatException ex)
            {
                result.AddError(prefix + ex.Message);
            }
        }
    }

    private static string? ValidNatsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "nats" or "tls" && uri.Host.Length > 0
            ? null
            : $"'{value}' is not a NATS server address: write nats://HOST:PORT, e.g. nats://127.0.0.1:4222";

    private static string? ValidTarget(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            ? $"--target '{value}': write HOST:PORT, e.g. 127.0.0.1:6667"
            : null;
    }

    public static IReadOnlyList<ReportFormat> ParseFormats(string value)
    {
        var formats = new List<ReportFormat>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var format = ParseFormat(part) ?? throw new UsageException($"report format '{part}' is unknown (use html, md, csv, txt, json, junit or all)");
            foreach (var f in format) if (!formats.Contains(f)) formats.Add(f);
        }
        return formats.Count > 0 ? formats : throw new UsageException("--report-format needs at least one format");
    }

    internal static IReadOnlyList<ReportFormat>? ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "html" => [ReportFormat.Html],
        "md" or "markdown" => [ReportFormat.Markdown],
        "csv" => [ReportFormat.Csv],
        "txt" or "text" => [ReportFormat.Text],
        "json" => [ReportFormat.Json],
        "junit" or "xml" => [ReportFormat.JUnit],
        "all" => Enum.GetValues<ReportFormat>(),
        _ => null,
    };
}
