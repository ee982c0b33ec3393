namespace ChatLoad.LoadEngine.Reports;

/// <summary>The report formats <see cref="ReportWriter"/> can write. Each renders from a <c>RunResult</c> alone.</summary>
public enum ReportFormat
{
    /// <summary><c>report.html</c>: one page with tables and Plotly charts that opens offline.</summary>
    Html,

    /// <summary><c>report.md</c>: the same figures as tables, readable on GitHub.</summary>
    Markdown,

    /// <summary><c>report.csv</c> (one row per scenario/step/histogram) and <c>report-timeseries.csv</c>
    /// (one row per scenario and second).</summary>
    Csv,

    /// <summary><c>report.txt</c>: a console-style plain-text summary.</summary>
    Text,

    /// <summary><c>result.json</c>: the complete raw result (histograms included), mergeable and re-renderable.</summary>
    Json,

    /// <summary><c>junit.xml</c>: one test case per threshold (failed ones with the actual value), plus one per
    /// generator warning as a skipped case, for CI systems that read JUnit XML.</summary>
    JUnit,
}
