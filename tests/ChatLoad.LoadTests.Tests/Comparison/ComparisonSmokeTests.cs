using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatLoad.LoadTests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison;

/// <summary>
/// The quick path end to end: <c>compare --smoke</c> against the real server and the real load CLI, both modes, a
/// few seconds each. It uses the Release builds that <c>scripts/test.sh</c> makes (it builds the solution in
/// Release before testing); when they are absent (e.g. a Debug test run) it builds the two projects in Release
/// itself first.
/// </summary>
public class ComparisonSmokeTests : IDisposable
{
    /// <summary>Bound on building the two projects when their Release output is missing. Default 5 min: a cold
    /// build with restore on a busy 2-core machine takes one or two.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private bool _passed;
    private readonly string _out = Path.Combine(Path.GetTempPath(), "chatload-compare-smoke-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Smoke_comparison_writes_an_index_linking_both_modes_run_reports()
    {
        var (serverDll, loadDll) = ReleaseBuilds();

        int exit = await ComparisonCommand.RunAsync(
            ["--smoke", "--out", _out, "--server-dll", serverDll, "--load-dll", loadDll, "--max-time", "5m"]);

        Assert.Equal(0, exit);
        string index = Path.Combine(_out, "index.html");
        Assert.True(File.Exists(index), "index.html was not written");
        string html = await File.ReadAllTextAsync(index);
        var links = Regex.Matches(html, "href=\"(runs/[^\"]+/report\\.html)\"").Select(m => m.Groups[1].Value).Distinct().ToArray();
        foreach (var mode in new[] { "threads", "async" })
        {
            var mine = links.Where(l => l.StartsWith($"runs/{mode}/", StringComparison.Ordinal)).ToArray();
            Assert.True(mine.Length > 0, $"index.html links no {mode} run report; links: {string.Join(", ", links)}");
            Assert.All(mine, link => Assert.True(File.Exists(Path.Combine(_out, link)), $"{link} is linked but missing"));
        }

        // Every smoke rung is tiny: each must have succeeded, or the smoke run shows a broken pipeline.
        var rows = (await File.ReadAllLinesAsync(Path.Combine(_out, "summary.csv"))).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.True(row.Contains(",ok,", StringComparison.Ordinal), $"a smoke rung did not succeed (report kept in {_out}): {row}"));

        // The answer comes first, then the saturation search's chart and table for room-chat.
        Assert.True(html.IndexOf("id=\"answer\"", StringComparison.Ordinal) < html.IndexOf("class=\"figures saturation\"", StringComparison.Ordinal));
        Assert.Contains("Threads or async? On this machine", html);
        Assert.Contains("max sustainable deliveries/s at p99 ≤ 50 ms", html);
        Assert.Contains(rows, r => r.Contains(",probe,", StringComparison.Ordinal));
        Assert.Contains("## The answer", await File.ReadAllTextAsync(Path.Combine(_out, "summary.md")));

        // Against itself every rule holds; against a copy with a planted regression (p99 three times as high) the
        // rule breaks and the exit code says so.
        Assert.Equal(0, await ComparisonCommand.RunAsync(["--report-only", _out, "--baseline", _out, "--fail-if", "p99 > +10%", "--fail-if", "throughput < -5%"]));
        string planted = _out + "-regressed";
        Directory.CreateDirectory(planted);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "comparison.json")))!;
        foreach (var outcome in json["outcomes"]!.AsArray())
            if (outcome!["figures"] is JsonObject figures && figures["p99Ms"] is JsonValue p99)
                figures["p99Ms"] = p99.GetValue<double>() * 3;
        await File.WriteAllTextAsync(Path.Combine(planted, "comparison.json"), json.ToJsonString());
        try
        {
            Assert.Equal(1, await ComparisonCommand.RunAsync(["--report-only", planted, "--baseline", _out, "--fail-if", "p99 > +10%"]));
            Assert.Contains("Regression: a rule broke", await File.ReadAllTextAsync(Path.Combine(planted, "index.html")));
            Assert.Equal(2, await ComparisonCommand.RunAsync(["--report-only", planted, "--baseline", _out + "-missing"]));
        }
        finally
        {
            Directory.Delete(planted, recursive: true);
        }
        _passed = true;
    }

    [Fact]
    public async Task A_server_that_cannot_start_is_a_recorded_failure_with_its_error()
    {
        var (_, loadDll) = ReleaseBuilds();

        // The load CLI stands in for a broken server: it rejects --mode with exit code 2 and an error line.
        int exit = await ComparisonCommand.RunAsync(
            ["--smoke", "--modes", "threads", "--scenarios", "idle-hold", "--out", _out, "--server-dll", loadDll, "--load-dll", loadDll]);

        Assert.Equal(0, exit);
        string html = await File.ReadAllTextAsync(Path.Combine(_out, "index.html"));
        Assert.Contains("threads failed at 50 clients: server did not start", html);
        Assert.Contains("the server exited with code 2 before accepting", html);
        Assert.Contains("unknown option &#39;--mode&#39;", html);
        _passed = true;
    }

    [Fact]
    public async Task A_mode_at_its_client_ceiling_is_a_failure_shown_with_the_servers_reason()
    {
        var (serverDll, loadDll) = ReleaseBuilds();

        // A server that takes 40 clients, asked for 50: the wall every mode meets at its ceiling, reached in seconds.
        int exit = await ComparisonCommand.RunAsync(
            ["--smoke", "--modes", "async", "--scenarios", "idle-hold", "--server-max-clients", "40",
             "--out", _out, "--server-dll", serverDll, "--load-dll", loadDll]);

        Assert.Equal(0, exit);
        string html = await File.ReadAllTextAsync(Path.Combine(_out, "index.html"));
        Assert.Contains("async failed at 50 clients: 10 of 50 clients could not connect", html);
        Assert.Contains("server full", html, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("href=\"runs/async/idle-hold/50-clients-r1/report.html\"", html);
        _passed = true;
    }

    internal static (string ServerDll, string LoadDll) ReleaseBuilds()
    {
        string root = BuildPaths.FindRepositoryRoot(AppContext.BaseDirectory)
                      ?? throw new InvalidOperationException($"ChatLoad.sln not found above {AppContext.BaseDirectory}");
        string server = Path.Combine(root, "server/ChatLoad.Server/bin/Release/net10.0/ChatLoad.Server.dll");
        string load = Path.Combine(root, "loadtests/ChatLoad.LoadTests/bin/Release/net10.0/ChatLoad.LoadTests.dll");
        if (!File.Exists(server)) Build(root, "server/ChatLoad.Server/ChatLoad.Server.csproj");
        if (!File.Exists(load)) Build(root, "loadtests/ChatLoad.LoadTests/ChatLoad.LoadTests.csproj");
        return (server, load);
    }

    private static void Build(string root, string project)
    {
        var psi = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(psi)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(BuildTimeout))
        {
            build.Kill(entireProcessTree: true);
            throw new TimeoutException($"building {project} took over {BuildTimeout.TotalMinutes} min");
        }
        Assert.True(build.ExitCode == 0, $"dotnet build {project} failed:\n{output.Result}\n{errors.Result}");
    }

    // A failed run's folder is kept: its server logs and run reports are the evidence.
    public void Dispose()
    {
        if (_passed && Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }
}
