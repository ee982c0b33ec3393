using ChatLoad.LoadEngine.Cli;
using ChatLoad.LoadTests.Scenarios;

// The chat load suite's command line. "compare" runs the threads-vs-async comparison; everything else is the
// engine's own CLI (--scenario, --target, --clients, --rate, --duration, --set, --list, merge ...) over the chat
// scenarios. The engine handles Ctrl+C itself (first press: stop and still write the reports).
if (args.Length > 0 && args[0] == "compare")
    return await ChatLoad.LoadTests.Comparison.ComparisonCommand.RunAsync(args[1..]);

return await LoadTestApp.RunAsync(args, ChatScenarios.All);
