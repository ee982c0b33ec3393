namespace ChatLoad.LoadEngine.Cli;

internal static class HelpText
{
    public const string Usage = """
        Usage:
          loadtest --scenario NAME[,NAME...] [options]     run one or more scenarios at once
          loadtest --list                                  show the scenarios
          loadtest merge --report-dir DIR A.json B.json    merge shard results into one report

        Options:
          --scenario NAME       scenario to run; repeat or comma-separate to run several at once
          --target HOST:PORT    the system under test
          --clients N           connections / concurrent copies
          --rate R              open-model iterations per second
          --duration 30s        measured duration (units: ms, s, m, h; e.g. 1m30s)
          --warmup 5s           warm-up before measuring (not counted)
          --config FILE         JSON config (settings, load simulations, thresholds, reports); options here override it
          --report-dir DIR      report folder (default reports/<name>-<time>)
          --report-format LIST  html,md,csv,txt,json or all (default all)
          --threshold EXPR      e.g. "p99 < 50ms", "fail% < 1", "counter:lost == 0", "ping/step:send:p50 <= 5ms";
                                repeatable; a broken threshold makes the exit code 1
          --set key=value       scenario-specific setting (repeatable)
          --name NAME           test name in the reports
          --assembly PATH       load the scenarios of a .dll built from loadtests/examples (repeatable);
                                a missing or broken assembly is exit code 2
          --list, --help

        Threshold grammar: [scenario/][step:NAME:]stat OP number[unit]
          stat: p50 p75 p95 p99 p99.9 min mean max stddev rps ok fail fail% count bytes_in bytes_out late dropped
                counter:NAME  gauge:NAME[:last|min|mean|max]  hist:NAME:p99
          OP: < <= > >= == !=     unit (latencies): us, ms (default), s

        Exit codes: 0 ok, 1 a threshold broke (or a scenario failed to start), 2 bad command line or config.
        """;
}
