using ChatLoad.LoadEngine;
using ChatLoad.LoadTests.Scenarios;

// The chat load suite's command line. "compare" runs the threads-vs-async comparison; everything else is the
// engine's own CLI (--scenario, --target, --clients, --rate, --duration, --set, --assembly, --list, merge ...) over
// the chat scenarios — the same runner a scenario project of your own uses (loadtests/examples). The engine handles
// Ctrl+C itself (first press: stop and still write the reports).
if (args.Length > 0 && args[0] == "compare")
    return await ChatLoad.LoadTests.Comparison.ComparisonCommand.RunAsync(args[1..]);

return await LoadTestRunner.RegisterScenarios(ChatScenarios.All).RunAsync(args);
