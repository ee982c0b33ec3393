using ChatLoad.LoadTests.Comparison.ScaleTable;
using ChatLoad.LoadTests.Tests.Comparison;

namespace ChatLoad.LoadTests.Tests.Comparison.ScaleTable;

/// <summary>
/// <c>compare --scale-table --tiny</c> end to end against the real async server, with both generators: every row of
/// the tiny preset measured by each, with the server's /proc figures beside them, and the three reports written.
/// (Against threads the same code path runs; one mode keeps this test near 30 s of CI.)
/// </summary>
public class ScaleTableTinyTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "chatload-scale-table-" + Guid.NewGuid().ToString("N"));
    private bool _passed;

    [Fact]
    public async Task The_tiny_table_measures_every_row_with_both_generators_and_writes_its_reports()
    {
        var (serverDll, loadDll) = ComparisonSmokeTests.ReleaseBuilds();

        int exit = await ScaleTableCommand.RunAsync(
            ["--scale-table", "--tiny", "--servers", "async", "--out", _out, "--server-dll", serverDll, "--load-dll", loadDll, "--max-time", "3m"]);

        Assert.Equal(0, exit);
        var results = ScaleTableReport.Load(_out);
        Assert.Equal(ScaleTablePresets.Tiny().Count * 2, results.Measurements.Count);
        Assert.All(results.Measurements, m => Assert.True(m.Failure is null, $"{m.Row} {m.Generator}: {m.Failure} (report kept in {_out})"));
        foreach (var generator in new[] { "independent", "suite" })
        {
            var idle = results.Find("idle-tiny", "async", generator)!;
            Assert.True(idle.RssPerClientKb > 0, $"{generator}: no RSS per client");
            Assert.True(idle.PingP99Ms > 0, $"{generator}: no PING round trips");
            var fanout = results.Find("rooms10-tiny", "async", generator)!;
            Assert.Equal(0, fanout.Lost);
            Assert.True(fanout.Expected > 0 && fanout.DeliveriesPerSecond > 0, $"{generator}: no deliveries");
            Assert.True(fanout.ServerCpuSeconds > 0, $"{generator}: no server CPU from /proc");
            Assert.True(fanout.GeneratorCpuPercent > 0, $"{generator}: the generator's own CPU is missing");
            var connect = results.Find("connect-tiny", "async", generator)!;
            Assert.Equal(100, connect.Held);
            Assert.True(connect.RegisterP99Ms > 0, $"{generator}: no register latency");
        }
        string md = await File.ReadAllTextAsync(Path.Combine(_out, "scale-table.md"));
        Assert.Contains("## independent generator", md);
        Assert.Contains("## suite generator", md);
        Assert.Contains("## The generators' own load", md);
        Assert.Contains("<table>", await File.ReadAllTextAsync(Path.Combine(_out, "scale-table.html")));
        _passed = true;
    }

    public void Dispose()
    {
        if (_passed && Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }
}
