using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Tests.Reports;

public sealed class TextReportsTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.TrimEntries);

    [Fact]
    public void Markdown_has_github_tables_with_the_figures()
    {
        var md = ReportWriter.Render(RunResultFixtures.ChatRun(), ReportFormat.Markdown);
        var lines = Lines(md);

        Assert.Contains("| Step | OK | Fail | Fail % | RPS | Bytes in | Bytes out |", lines);
        Assert.Contains("| --- | ---: | ---: | ---: | ---: | ---: | ---: |", lines);
        Assert.Contains("| send | 29,874 | 126 | 0.42% | 1,000 | 1.37 MiB | 1.49 MiB |", lines);
        Assert.Contains("| ❌ FAIL | room-chat | p99 &lt; 50ms | 87.5 | p99 was 87.5 ms |", lines);
        Assert.Contains("| send | timeout | 101 | 0.34% | no echo within 5 s |", lines);
        Assert.Contains("| server RSS | 171.66 MiB | 221.73 MiB | 247.96 MiB | 247.00 MiB |", lines);
        Assert.Contains(lines, l => l.StartsWith("| end-to-end latency | 149,370 |", StringComparison.Ordinal));
        Assert.Contains("> - Load generator: generator CPU at 98% for 12 s: results may understate the target", lines);
    }

    [Fact]
    public void Markdown_escapes_names_so_tables_keep_their_columns()
    {
        var md = ReportWriter.Render(RunResultFixtures.HostileRun(), ReportFormat.Markdown);

        foreach (var table in TableBlocks(Lines(md)))
        {
            var columns = UnescapedPipes(table[0]);
            Assert.All(table, row => Assert.Equal(columns, UnescapedPipes(row)));
        }
        Assert.DoesNotContain("<script>", md);
    }

    [Fact]
    public void Text_summary_puts_warnings_first_and_aligns_tables()
    {
        var text = ReportWriter.Render(RunResultFixtures.ChatRun(), ReportFormat.Text);
        var lines = Lines(text);

        Assert.True(text.IndexOf("WARNINGS", StringComparison.Ordinal) < text.IndexOf("scenario 'room-chat'", StringComparison.Ordinal));
        Assert.Contains("!! Load generator: generator CPU at 98% for 12 s: results may understate the target", lines);
        Assert.Contains("thresholds: 2 of 3 passed", lines);
        Assert.Contains(lines, l => l.StartsWith("FAIL    room-chat  p99 < 50ms", StringComparison.Ordinal) && l.EndsWith("p99 was 87.5 ms", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("send ", StringComparison.Ordinal) && l.Contains("29,874") && l.Contains("0.42%"));
        var header = text.Split('\n').First(l => l.TrimStart().StartsWith("latency (ms)", StringComparison.Ordinal));
        var rule = text.Split('\n')[Array.IndexOf(text.Split('\n'), header) + 1];
        Assert.Equal(header.TrimEnd().Length, rule.TrimEnd().Length); // the dashes span the header
    }

    [Fact]
    public void Csv_summary_has_one_row_per_scenario_step_and_histogram_with_raw_figures()
    {
        var rows = Csv.Parse(ReportWriter.Render(RunResultFixtures.ChatRun(), ReportFormat.Csv));

        Assert.Equal(["scenario", "kind", "name", "ok", "fail", "fail_percent", "rps", "bytes_in", "bytes_out", "latency_count",
            "min_ms", "mean_ms", "max_ms", "stddev_ms", "p50_ms", "p75_ms", "p95_ms", "p99_ms", "p99_9_ms",
            "scenario_duration_s", "late_iterations", "dropped_iterations"], rows[0]);
        Assert.Equal(6, rows.Count); // header + room-chat (iterations, send, deliver, histogram) + ping-pong
        var send = rows.Single(r => r[2] == "send");
        var column = (string name) => Array.IndexOf(rows[0], name);
        Assert.Equal("room-chat", send[column("scenario")]);
        Assert.Equal("29874", send[column("ok")]);
        Assert.Equal("126", send[column("fail")]);
        Assert.Equal(RunResultFixtures.ChatRun().Scenarios[0].Steps[0].Latency.P99Ms,
            double.Parse(send[column("p99_ms")], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("57", send[column("late_iterations")]);
        Assert.Equal("histogram", rows.Single(r => r[2] == "end-to-end latency")[column("kind")]);
    }

    [Fact]
    public void Csv_time_series_has_one_row_per_scenario_second_and_a_column_per_metric()
    {
        using var folder = new TemporaryFolder("csv");
        var paths = ReportWriter.WriteAll(RunResultFixtures.ChatRun(), folder.Path, [ReportFormat.Csv]);

        var rows = Csv.Parse(File.ReadAllText(paths.Single(p => p.EndsWith("report-timeseries.csv", StringComparison.Ordinal))));
        Assert.Equal(["scenario", "second", "rps", "ok", "fail", "p50_ms", "p99_ms", "max_ms", "bytes_in", "bytes_out"], rows[0].Take(10));
        Assert.Contains("server RSS", rows[0]);
        Assert.Contains("messages delivered", rows[0]);
        Assert.Equal(1 + 30 + 30, rows.Count);
        var rss = Array.IndexOf(rows[0], "server RSS");
        Assert.Equal("180000000", rows[1][rss]);
        Assert.Equal("", rows.First(r => r[0] == "ping-pong")[rss]); // ping-pong has no such metric
    }

    [Fact]
    public void Csv_quotes_names_with_commas_and_quotes_so_they_round_trip()
    {
        var rows = Csv.Parse(ReportWriter.Render(RunResultFixtures.HostileRun(), ReportFormat.Csv));

        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        Assert.Equal(RunResultFixtures.HostileName, rows[1][0]);
    }

    private static IEnumerable<List<string>> TableBlocks(string[] lines)
    {
        var block = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith('|')) block.Add(line);
            else if (block.Count > 0) { yield return block; block = []; }
        }
        if (block.Count > 0) yield return block;
    }

    private static int UnescapedPipes(string line) => line.Where((c, i) => c == '|' && (i == 0 || line[i - 1] != '\\')).Count();
}

/// <summary>A minimal RFC 4180 reader for checking the CSV reports.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add([.. row]); row.Clear(); }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
