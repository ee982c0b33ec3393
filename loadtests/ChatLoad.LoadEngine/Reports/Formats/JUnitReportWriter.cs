using System.Globalization;
using System.Xml.Linq;
using ChatLoad.LoadEngine.Results;

namespace ChatLoad.LoadEngine.Reports.Formats;

/// <summary>
/// <c>junit.xml</c>: the thresholds as JUnit test cases, one test suite per scenario, so a CI system shows which
/// threshold broke and by how much without reading the HTML. A saturated generator is reported as a skipped case
/// ("the figures may describe the generator"), never as a pass.
/// </summary>
internal sealed class JUnitReportWriter : IReportFormatWriter
{
    public const string FileName = "junit.xml";

    public IReadOnlyList<string> FileNames => [FileName];

    public IReadOnlyList<ReportFile> Render(RunResult result, ReportOptions options)
    {
        var suites = new XElement("testsuites", new XAttribute("name", result.Info.TestName));
        var byScenario = result.Thresholds.GroupBy(t => t.Scenario).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var scenario in result.Scenarios.Select(s => s.Name).Concat(byScenario.Keys).Distinct())
        {
            var thresholds = byScenario.GetValueOrDefault(scenario) ?? [];
            var duration = result.Scenarios.FirstOrDefault(s => s.Name == scenario)?.Duration ?? TimeSpan.Zero;
            var suite = new XElement("testsuite",
                new XAttribute("name", scenario),
                new XAttribute("tests", thresholds.Length + result.Generator.Warnings.Count),
                new XAttribute("failures", thresholds.Count(t => !t.Passed)),
                new XAttribute("skipped", result.Generator.Warnings.Count),
                new XAttribute("time", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
                new XAttribute("timestamp", result.Info.Started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
            foreach (var t in thresholds)
            {
                var testCase = new XElement("testcase", new XAttribute("classname", $"{result.Info.TestName}.{scenario}"), new XAttribute("name", t.Expression));
                if (!t.Passed)
                    testCase.Add(new XElement("failure",
                        new XAttribute("message", $"{t.Expression}: {t.Message}"),
                        t.ActualValue is { } actual ? $"actual {actual.ToString("0.###", CultureInfo.InvariantCulture)}" : t.Message));
                suite.Add(testCase);
            }
            foreach (var warning in result.Generator.Warnings)
                suite.Add(new XElement("testcase", new XAttribute("classname", $"{result.Info.TestName}.generator"), new XAttribute("name", "load generator kept up"),
                    new XElement("skipped", new XAttribute("message", warning))));
            suites.Add(suite);
        }
        return [new ReportFile(FileName, new XDocument(new XDeclaration("1.0", "utf-8", null), suites).Declaration + "\n" + suites)];
    }
}
