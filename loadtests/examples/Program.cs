using ChatLoad.LoadEngine;
using ChatLoad.LoadEngine.Reports;
using MyScenarios;

// NBomber's shape: register the scenarios, hand the runner the command line. Everything the built-in chat scenarios
// have comes with it: --target/--clients/--rate/--duration, --config, --threshold, --set, the live console, the
// generator's self-monitoring, html/md/csv/txt/json reports, merge. The same dll also plugs into ChatLoad's own
// runner: ./scripts/loadtest.sh --assembly bin/Release/net10.0/MyScenarios.dll --scenario lobby
return await LoadTestRunner
    .RegisterScenarios(new Catalog().GetScenarios())
    .WithReportFormats(ReportFormat.Html, ReportFormat.Markdown, ReportFormat.Text, ReportFormat.Json)
    .RunAsync(args);
