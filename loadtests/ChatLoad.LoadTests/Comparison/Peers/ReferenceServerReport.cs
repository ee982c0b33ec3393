using System.Text;
using ChatLoad.LoadEngine.Reports.Html;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// What the comparison's reports say about the reference servers: per scenario where one beat ChatLoad (by how much
/// and why) and the socket options beside their figures; once per report, what each one is, its version, how it
/// was started and what its config lifts. Empty when no reference server ran.
/// </summary>
internal static class ReferenceServerReport
{
    public const string Anchor = "reference-servers";

    public static bool Any(ComparisonResults results) => results.Servers.Any(ReferenceServers.IsReference);

    /// <summary>The scenario's lines as plain text: the wins, then each reference server's socket options.</summary>
    public static IReadOnlyList<string> ScenarioLines(ComparisonResults results, ScenarioTable table)
    {
        var present = table.Servers.Where(m => ReferenceServers.IsReference(m) && table.ForServer(m).Any()).ToArray();
        if (present.Length == 0) return [];
        var lines = new List<string>();
        var wins = ReferenceStandings.For(table);
        lines.AddRange(ReferenceStandings.Sentences(wins, results.References));
        var behind = present.Where(n => wins.All(w => w.Server != n)).ToArray();
        if (behind.Length > 0)
            lines.Add($"{string.Join(", ", behind)} did not beat ChatLoad's better mode here on throughput, p99, memory per client or deliveries per CPU-second.");
        var nagle = present.Where(n => ReferenceServers.Find(n) is { NoDelay: false }).ToArray();
        var noDelay = present.Where(n => ReferenceServers.Find(n) is { NoDelay: true }).Append("ChatLoad's two modes");
        lines.Add((nagle.Length > 0
                      ? $"TCP_NODELAY is off in {string.Join(", ", nagle)} (Nagle plus the receiver's 40 ms delayed ACK can hold a small write for tens of ms: their p99 tails); "
                      : "TCP_NODELAY is ") +
                  $"on in {string.Join(", ", noDelay)}. Reference servers' threads, RSS and CPU are sampled from /proc once a second " +
                  $"(they have no metrics endpoint); their full socket options and configs are under Reference servers.");
        return lines;
    }

    public static string ScenarioHtml(ComparisonResults results, ScenarioTable table)
    {
        var lines = ScenarioLines(results, table);
        if (lines.Count == 0) return "";
        var html = new StringBuilder("<div class=\"banner\"><strong>Reference servers.</strong><ul>\n");
        foreach (var line in lines) html.Append($"<li>{E(line)}</li>\n");
        return html.Append("</ul></div>\n").ToString();
    }

    public static string ScenarioMarkdown(ComparisonResults results, ScenarioTable table)
    {
        var lines = ScenarioLines(results, table);
        if (lines.Count == 0) return "";
        var md = new StringBuilder("Reference servers:\n\n");
        foreach (var line in lines) md.AppendLine($"- {line}");
        return md.AppendLine().ToString();
    }

    /// <summary>One row per reference server that ran, and one for ChatLoad's own, for comparison.</summary>
    private static IEnumerable<(string Name, string What, string Model, string Sockets, string Limits, string Started)> Rows(ComparisonResults results)
    {
        foreach (var name in results.Servers.Where(ReferenceServers.IsReference))
        {
            var info = Info(results, name);
            var server = ReferenceServers.Find(name)!;
            string started = results.ServerProcesses.FirstOrDefault(s => s.Server == name && s.StartFailure is null)?.CommandLine
                             ?? results.ServerProcesses.FirstOrDefault(s => s.Server == name)?.StartFailure ?? "did not run";
            yield return (name, $"{info?.Title ?? server.Title}; {info?.Version ?? "version not recorded"}", info?.Model ?? server.Model,
                info?.SocketOptions ?? server.SocketOptions, info?.Limits ?? server.Limits, started);
        }
        yield return ("threads, async", $"ChatLoad ({results.Environment.ServerVersion})", "threads: a dedicated thread per client, blocking sockets; async: System.IO.Pipelines, no thread per client",
            ReferenceServers.OurSocketOptions, "flood control off, --max-clients 100,000 (the descriptor and thread ceilings decide)", "dotnet ChatLoad.Server.dll --mode MODE");
    }

    public static string SectionHtml(ComparisonResults results)
    {
        if (!Any(results)) return "";
        var html = new StringBuilder($"<section id=\"{Anchor}\"><h2>Reference servers</h2>\n");
        html.Append("<p class=\"muted\">Run on the same scenarios with the same pinning as ChatLoad's modes, each started by the comparison on " +
                    "loopback in the foreground with a config rendered into the run's servers/ folder (packaged services are never started), " +
                    "and stopped by its PID with SIGTERM.</p>\n");
        html.Append("<div class=\"table-scroll\"><table class=\"figures\"><thead><tr><th>Server</th><th>What</th><th>Model</th><th>Socket options</th><th>Config</th><th>Started as</th></tr></thead><tbody>\n");
        foreach (var row in Rows(results))
            html.Append($"<tr><td>{E(row.Name)}</td><td style=\"text-align:left\">{E(row.What)}</td><td style=\"text-align:left\">{E(row.Model)}</td>" +
                        $"<td style=\"text-align:left\">{E(row.Sockets)}</td><td style=\"text-align:left\">{E(row.Limits)}</td><td class=\"mono\" style=\"text-align:left\">{E(row.Started)}</td></tr>\n");
        return html.Append("</tbody></table></div></section>\n").ToString();
    }

    public static string SectionMarkdown(ComparisonResults results)
    {
        if (!Any(results)) return "";
        var md = new StringBuilder("## Reference servers\n\n| Server | What | Model | Socket options | Config |\n|---|---|---|---|---|\n");
        foreach (var row in Rows(results))
            md.AppendLine($"| {row.Name} | {Cell(row.What)} | {Cell(row.Model)} | {Cell(row.Sockets)} | {Cell(row.Limits)} |");
        return md.AppendLine().ToString();
    }

    private static ReferenceServerInfo? Info(ComparisonResults results, string name) => results.References.FirstOrDefault(r => r.Name == name);

    private static string Cell(string text) => text.Replace("|", "/").Replace("\n", " ");

    private static string E(string? text) => HtmlText.Encode(text);
}
