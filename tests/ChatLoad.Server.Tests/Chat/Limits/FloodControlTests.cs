using ChatLoad.Server.Chat.Limits;

namespace ChatLoad.Server.Tests.Chat.Limits;

/// <summary>
/// The flood-control state machine alone, table-driven on fake time (as ergo's fakelag_test): times are in
/// milliseconds (a timestamp frequency of 1,000), burst 5, one line per 500 ms once throttled, a 2 s cooldown, and at
/// most 3 lines held. Each step is "time:expectation": go, wait@T (held until T), disconnect, or "release" (a held line ran).
/// </summary>
public class FloodControlTests
{
    private static readonly FloodSettings Settings = new(BurstLines: 5, LineInterval: 500, Cooldown: 2000, MaxQueuedLines: 3);

    [Theory]
    // The burst goes through at once; the next lines are spaced 500 ms apart; the fourth held one is one too many.
    [InlineData("0:go 0:go 0:go 0:go 0:go 0:wait@500 0:wait@1000 0:wait@1500 0:disconnect")]
    // Lines that keep to the steady rate once throttled are never held.
    [InlineData("0:go 0:go 0:go 0:go 0:go 600:go 1100:go 1600:go 2100:go")]
    // A line a little early waits only until its slot.
    [InlineData("0:go 0:go 0:go 0:go 0:go 600:go 900:wait@1100")]
    // Held lines run (release) and free their places: the queue never passes 3 though 6 lines were held.
    [InlineData("0:go 0:go 0:go 0:go 0:go 0:wait@500 0:wait@1000 0:wait@1500 release release 1000:wait@2000 1000:wait@2500 1000:disconnect")]
    // A quiet spell longer than the cooldown gives the whole burst back.
    [InlineData("0:go 0:go 0:go 0:go 0:go 0:wait@500 release 2600:go 2600:go 2600:go 2600:go 2600:go 2600:wait@3100")]
    // Without a quiet spell, the burst does not come back: still throttled at 1900 ms after the last line.
    [InlineData("0:go 0:go 0:go 0:go 0:go 600:go 2500:go 2600:wait@3000")]
    // Bursting: lines spread out within the cooldown still count towards the burst; the sixth is spaced 500 ms after the fifth.
    [InlineData("0:go 1000:go 2000:go 3000:go 4000:go 4100:wait@4500")]
    // ... but a gap longer than the cooldown while bursting resets the count.
    [InlineData("0:go 0:go 0:go 0:go 2100:go 2100:go 2100:go 2100:go 2100:go 2100:wait@2600")]
    public void Lines_go_wait_or_disconnect_by_the_table(string steps)
    {
        var flood = new FloodControl(Settings);
        foreach (string step in steps.Split(' '))
        {
            if (step == "release")
            {
                flood.Release();
                continue;
            }
            string[] parts = step.Split(':');
            long now = long.Parse(parts[0]);
            FloodDecision decision = flood.Touch(now);
            FloodDecision expected = parts[1] switch
            {
                "go" => FloodDecision.Go,
                "disconnect" => FloodDecision.Disconnect,
                var wait => FloodDecision.WaitUntil(long.Parse(wait["wait@".Length..])),
            };
            Assert.True(expected == decision, $"step {step}: got {decision.Verdict} {decision.NotBefore}");
        }
    }

    [Fact]
    public void Queued_counts_the_held_lines_and_throttled_says_the_burst_is_spent()
    {
        var flood = new FloodControl(Settings);
        for (int i = 0; i < 5; i++)
            flood.Touch(0);
        Assert.False(flood.IsThrottled);
        flood.Touch(0);
        flood.Touch(0);
        Assert.True(flood.IsThrottled);
        Assert.Equal(2, flood.Queued);
        flood.Release();
        Assert.Equal(1, flood.Queued);
    }

    [Fact]
    public void Server_defaults_convert_to_timestamps_of_the_clock_given()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        FloodSettings settings = FloodSettings.Create(5, linesPerSecond: 2, TimeSpan.FromSeconds(2), 20, time);
        Assert.Equal(time.TimestampFrequency / 2, settings.LineInterval);
        Assert.Equal(time.TimestampFrequency * 2, settings.Cooldown);
    }
}
