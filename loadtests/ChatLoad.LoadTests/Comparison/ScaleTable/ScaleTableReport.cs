using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatLoad.LoadTests.Comparison.ScaleTable;

/// <summary>
/// The table's reports: scale-table.md (issue 9's table once per generator, the generators' own load, every
/// measurement with its command), scale-table.json (everything), scale-table.html (the same tables), and the
/// console's one line per run.
/// </summary>
internal static class ScaleTableReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static (string Markdown, string Json, string Html) Write(ScaleTableResults results, string folder)
    {
        Directory.CreateDirectory(folder);
        string md = Path.Combine(folder, "scale-table.md");
        string json = Path.Combine(folder, "scale-table.json");
        string html = Path.Combine(folder, "scale-table.html");
        string markdown = Markdown(results);
        File.WriteAllText(md, markdown);
        File.WriteAllText(json, JsonSerializer.Serialize(results, Json));
        File.WriteAllText(html, Html(markdown));
        return (md, json, html);
    }

    public static ScaleTableResults Load(string folder) =>
        JsonSerializer.Deserialize<ScaleTableResults>(File.ReadAllText(Path.Combine(folder, "scale-table.json")), Json)
        ?? throw new InvalidDataException("scale-table.json is empty");

    private static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Ms(double? v) => v switch
    {
        null => "–",
        >= 1000 => (v.Value / 1000).ToString("0.0#", CultureInfo.InvariantCulture) + " s",
        >= 100 => v.Value.ToString("0", CultureInfo.InvariantCulture) + " ms",
        >= 10 => v.Value.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        _ => v.Value.ToString("0.0#", CultureInfo.InvariantCulture) + " ms",
    };

    /// <summary>One cell of the issue's table: the figures that row is about, in the issue's order.</summary>
    public static string Cell(ScaleRow row, ScaleMeasurement? m)
    {
        if (m is null) return "";
        if (m.Failure is { } failure && m.P99Ms is null && m.RssPerClientKb is null && m.AchievedPerSecond is null) return "failed: " + Short(failure);
        var text = row.Kind switch
        {
            ScaleRowKind.Idle => $"{F(m.RssPerClientKb, "0.00")} KB, {m.ServerThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"} threads; PING p99 {Ms(m.PingP99Ms)}"
                + (m.Held < m.Clients ? $"; held {m.Held:N0} of {m.Clients:N0}" : m.Clients != row.Clients ? $" ({m.Clients:N0} clients)" : ""),
            ScaleRowKind.Fanout => $"{Ms(m.P50Ms)} / {Ms(m.P99Ms)}, {F(m.ServerCpuPercent, "0")}%, loss {m.Lost?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"}; "
                + $"{F(m.DeliveriesPerSecond / 1000, "0.#")}k/s, {F(m.DeliveriesPerServerCpuSecond / 1000, "0")}k per CPU-s",
            _ => $"{F(m.AchievedPerSecond, "N0")}/s, register {Ms(m.RegisterP50Ms)} / {Ms(m.RegisterP99Ms)}"
                + (m.Failed > 0 ? $", {m.Failed:N0} failed" : ""),
        };
        if (m.GeneratorSaturated) text += $" ⚠ generator saturated ({F(m.GeneratorCpuPercent, "0")}% CPU)";
        else if (m.ScheduleSlipped && row.Kind != ScaleRowKind.Idle) text += $" ⚠ generator behind schedule ({F(m.GeneratorCpuPercent, "0")}% CPU)";
        if (m.Failure is { } f2) text += "; " + Short(f2);
        return text;
    }

    private static string Short(string s)
    {
        s = s.Replace('\n', ' ').Replace("|", "/");
        return s.Length > 160 ? s[..160] + "…" : s;
    }

    private static string Legend(ScaleRowKind kind) => kind switch
    {
        ScaleRowKind.Idle => "RSS per client, server threads; PING p99",
        ScaleRowKind.Fanout => "p50 / p99, server CPU, loss; deliveries/s achieved, per server CPU-second",
        _ => "achieved, register p50 / p99",
    };

    public static string ConsoleLine(ScaleRow row, ScaleMeasurement m) =>
        $"{row.Id,-15} {m.Server,-11} {m.Generator,-12} {Cell(row, m)}  [gen CPU {F(m.GeneratorCpuPercent, "0")}%, load {m.LoadAverage}, {m.WallSeconds:0} s]";

    public static string Markdown(ScaleTableResults r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Issue 9's scale table, measured with two generators");
        sb.AppendLine();
        sb.AppendLine($"Started {r.StartedUtc:yyyy-MM-dd HH:mm} UTC, {r.WallSeconds / 60:0.0} min, preset `{r.Preset}`; {r.Pinning}; " +
                      $"load average (1, 5, 15 min) {r.LoadAverageBefore} before, {r.LoadAverageAfter} after. KB = 1,000 bytes; 100% CPU = one core.");
        sb.AppendLine();
        sb.AppendLine($"Command: `{r.CommandLine}`");
        sb.AppendLine();
        sb.AppendLine("- **independent**: `loadtests/independent-generator` (C, one epoll thread, no code shared with the suite); " +
                      "server CPU over the generator's own measured window (its phase lines), RSS read at the end of the measured time " +
                      "with every client connected; latency send → receive of every delivery, loss exact per (sender, recipient).");
        sb.AppendLine("- **suite**: the load suite's own scenarios (idle-hold, room-chat, connect-storm), one process; server CPU over " +
                      "the busiest window as long as the measured time, RSS at its peak; latency from the schedule.");
        sb.AppendLine("- Every server fresh for every run, started as the comparison starts it (Comparison/Servers, Comparison/Peers); " +
                      "ngIRCd and InspIRCd do not set TCP_NODELAY (Nagle plus delayed ACK in their tails).");
        foreach (var generator in r.Generators)
        {
            sb.AppendLine();
            sb.AppendLine($"## {generator} generator");
            sb.AppendLine();
            sb.AppendLine("| figure | " + string.Join(" | ", r.Servers) + " |");
            sb.AppendLine("|---|" + string.Concat(r.Servers.Select(_ => "---|")));
            foreach (var row in r.Rows)
                sb.AppendLine($"| {row.Figure} ({Legend(row.Kind)}) | " + string.Join(" | ", r.Servers.Select(s => row.AppliesTo(s) ? Cell(row, r.Find(row.Id, s, generator)) : "not run")) + " |");
        }
        sb.AppendLine();
        sb.AppendLine("## The generators' own load (CPU of their core over the measured time; ⚠ = saturated, ⏱ = behind its schedule)");
        sb.AppendLine();
        sb.AppendLine("| row | generator | " + string.Join(" | ", r.Servers) + " |");
        sb.AppendLine("|---|---|" + string.Concat(r.Servers.Select(_ => "---|")));
        foreach (var row in r.Rows)
        foreach (var generator in r.Generators)
            sb.AppendLine($"| {row.Id} | {generator} | " + string.Join(" | ", r.Servers.Select(s => r.Find(row.Id, s, generator) is { } m
                ? $"{F(m.GeneratorCpuPercent, "0")}%" + (m.GeneratorCpuUsPerDelivery is { } us ? $", {us:0.00} µs/delivery" : "") + (m.GeneratorSaturated ? " ⚠" : "") + (m.ScheduleSlipped ? " ⏱" : "")
                : "")) + " |");
        sb.AppendLine();
        sb.AppendLine("## Every run");
        sb.AppendLine();
        sb.AppendLine("| row | server | generator | clients | server CPU | deliveries/s | per CPU-s | p50 | p99 | max | lost / expected | RSS/client | PING p99 | connects/s | register p99 | failed | generator | load avg | command |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var m in r.Measurements)
            sb.AppendLine($"| {m.Row} | {m.Server} | {m.Generator} | {m.Clients:N0} | {F(m.ServerCpuPercent, "0")}% | {F(m.DeliveriesPerSecond, "N0")} | {F(m.DeliveriesPerServerCpuSecond, "N0")} | " +
                          $"{Ms(m.P50Ms)} | {Ms(m.P99Ms)} | {Ms(m.MaxMs)} | {(m.Expected is { } e ? $"{m.Lost:N0} / {e:N0}" : "–")} | {F(m.RssPerClientKb, "0.00")} KB | {Ms(m.PingP99Ms)} | " +
                          $"{F(m.AchievedPerSecond, "N0")} | {Ms(m.RegisterP99Ms)} | {m.Failed?.ToString("N0", CultureInfo.InvariantCulture) ?? "–"} | " +
                          $"{F(m.GeneratorCpuPercent, "0")}%{(m.GeneratorSaturated ? " ⚠" : "")} {Short(m.GeneratorNote)}{(m.Failure is { } f ? " — " + Short(f) : "")} | {m.LoadAverage} | `{Short(m.CommandLine)}` |");
        return sb.ToString();
    }

    /// <summary>The markdown's headings, paragraphs and tables as a plain HTML page (no scripts, no styles to fetch).</summary>
    public static string Html(string markdown)
    {
        var sb = new StringBuilder("<!doctype html><meta charset=\"utf-8\"><title>ChatLoad scale table</title>" +
            "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}th{background:#eee}</style>\n");
        bool inTable = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                var cells = line.Trim().Trim('|').Split(" | ");
                if (cells.All(c => c.Trim().Trim(':').Trim('-').Length == 0)) continue;
                if (!inTable) { sb.Append("<table>"); inTable = true; sb.Append("<tr>").Append(string.Concat(cells.Select(c => $"<th>{WebUtility.HtmlEncode(c.Trim())}</th>"))).Append("</tr>\n"); continue; }
                sb.Append("<tr>").Append(string.Concat(cells.Select(c => $"<td>{WebUtility.HtmlEncode(c.Trim().Trim('`'))}</td>"))).Append("</tr>\n");
                continue;
            }
            if (inTable) { sb.Append("</table>\n"); inTable = false; }
            if (line.StartsWith("## ", StringComparison.Ordinal)) sb.Append($"<h2>{WebUtility.HtmlEncode(line[3..])}</h2>\n");
            else if (line.StartsWith("# ", StringComparison.Ordinal)) sb.Append($"<h1>{WebUtility.HtmlEncode(line[2..])}</h1>\n");
            else if (line.Trim().Length > 0) sb.Append($"<p>{WebUtility.HtmlEncode(line.TrimStart('-', ' '))}</p>\n");
        }
        if (inTable) sb.Append("</table>\n");
        return sb.ToString();
    }
}
