using System.Diagnostics;
using System.Text.Json;
using ChatLoad.LoadTests.Comparison;
using ChatLoad.LoadTests.Comparison.ScaleTable;
using ChatLoad.LoadTests.Tests.Support;

namespace ChatLoad.LoadTests.Tests.Comparison.ScaleTable;

/// <summary>
/// The independent generator's accounting, proven against both of our connection models over real loopback: a small
/// fan-out where every delivery is counted and nothing is lost, and a planted loss (clients that vanish without
/// QUIT halfway through) that it finds and puts on exactly those clients. Its figures are only worth a second
/// instrument's if both hold.
/// </summary>
public class IndependentGeneratorAccountingTests
{
    /// <summary>Bound on one generator run: its own --timeout is far below this; a hang fails the test, not CI.</summary>
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    private static readonly string Generator = IndependentGenerator.Build(typeof(ComparisonCommand).Assembly.Location).Binary;

    [Theory]
    [InlineData("threads")]
    [InlineData("async")]
    public async Task A_small_fanout_counts_every_delivery_and_loses_none(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);

        var r = await RunAsync(server.EndPoint.Port, "--clients", "60", "--room-size", "10", "--rate", "300", "--warmup", "0.5", "--duration", "1.5");

        var fanout = r.GetProperty("fanout");
        Assert.Equal(60, r.GetProperty("ready").GetInt32());
        long sent = fanout.GetProperty("sent").GetInt64();
        Assert.InRange(sent, 400, 700); // 300/s for 2 s, on a busy machine a little under
        Assert.Equal(sent * 9, fanout.GetProperty("expected").GetInt64()); // every message has 9 other members
        Assert.Equal(fanout.GetProperty("expected").GetInt64(), fanout.GetProperty("delivered").GetInt64());
        Assert.Equal(0, fanout.GetProperty("lost").GetInt64());
        Assert.Equal(0, fanout.GetProperty("duplicates").GetInt64());
        Assert.Equal(0, fanout.GetProperty("out_of_order").GetInt64());
        Assert.Equal(0, fanout.GetProperty("unrecognised_deliveries").GetInt64());
        // latency is recorded for each delivery of a message sent in the measured time, and only those
        long measured = fanout.GetProperty("delivered_measured").GetInt64();
        Assert.InRange(measured, 1, fanout.GetProperty("delivered").GetInt64() - 1);
        Assert.Equal(measured, fanout.GetProperty("latency").GetProperty("count").GetInt64());
        Assert.True(r.GetProperty("self").GetProperty("cpu_seconds").GetDouble() > 0, "the generator reports its own CPU");
    }

    [Theory]
    [InlineData("threads")]
    [InlineData("async")]
    public async Task Clients_that_vanish_midway_are_found_as_loss_on_exactly_those_clients(string mode)
    {
        await using var server = await ServerProcess.StartAsync(mode);

        // clients 57, 58, 59 (room #r5) close their sockets without QUIT halfway through the measured time
        var r = await RunAsync(server.EndPoint.Port, "--clients", "60", "--room-size", "10", "--rate", "300", "--warmup", "0.5", "--duration", "2",
            "--plant-disconnect", "3");

        var fanout = r.GetProperty("fanout");
        long lost = fanout.GetProperty("lost").GetInt64();
        Assert.Equal(3, fanout.GetProperty("planted_disconnects").GetInt32());
        Assert.Equal(57, r.GetProperty("ready").GetInt32());
        // each vanished client misses about a second of its 9 room-mates' messages (300/s over 60 senders): ~45 each
        Assert.InRange(lost, 20, 3 * 9 * 40);
        Assert.Equal(lost, fanout.GetProperty("lost_to_planted_disconnects").GetInt64());
        Assert.Equal(0, fanout.GetProperty("lost_to_server_closed").GetInt64());
        Assert.Equal(fanout.GetProperty("expected").GetInt64(), fanout.GetProperty("delivered").GetInt64() + lost);
        Assert.Equal(0, fanout.GetProperty("duplicates").GetInt64());
    }

    private static async Task<JsonElement> RunAsync(int port, params string[] args)
    {
        string json = Path.Combine(Path.GetTempPath(), $"chatload-gen-{Guid.NewGuid():N}.json");
        var psi = new ProcessStartInfo(Generator) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--mode", "fanout", "--port", port.ToString(), "--linger", "0", "--json", json }.Concat(args)) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(RunBound);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"chatload-gen did not finish within {RunBound.TotalSeconds} s");
        }
        Assert.True(process.ExitCode == 0, $"chatload-gen exited with {process.ExitCode}: {await stderr}");
        Assert.Contains("phase: measuring", await stdout);
        try
        {
            return JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.Clone();
        }
        finally
        {
            File.Delete(json);
        }
    }
}
