using ChatLoad.Server.Chat.Limits;

namespace ChatLoad.Server.Tests.Chat.Limits;

/// <summary>The token bucket behind the NICK and JOIN/PART rates, table-driven on fake time (milliseconds).</summary>
public class TokenBucketTests
{
    [Theory]
    // Three at once, then one a second.
    [InlineData(3, "0:ok 0:ok 0:ok 0:no@1000 999:no@1 1000:ok 1000:no@1000 2000:ok")]
    // Time earns at most a full bucket back, never more.
    [InlineData(3, "0:ok 0:ok 0:ok 10000:ok 10000:ok 10000:ok 10000:no@1000")]
    // A partial refill keeps the remainder: 1.5 s after emptying, one token, and the next 500 ms later.
    [InlineData(3, "0:ok 0:ok 0:ok 1500:ok 1500:no@500 2000:ok")]
    // A full bucket earns nothing more: the time past full is not banked.
    [InlineData(2, "0:ok 0:ok 2500:ok 2500:ok 2500:no@1000")]
    // Burst 0 means unlimited.
    [InlineData(0, "0:ok 0:ok 0:ok 0:ok 0:ok 0:ok")]
    public void Tokens_are_taken_and_earned_back_by_the_table(int burst, string steps)
    {
        var bucket = new TokenBucket(new RateSettings(burst, Interval: 1000, TimestampFrequency: 1000));
        foreach (string step in steps.Split(' '))
        {
            string[] parts = step.Split(':');
            bool taken = bucket.TryTake(long.Parse(parts[0]), out TimeSpan retryAfter);
            if (parts[1] == "ok")
            {
                Assert.True(taken, $"step {step}");
            }
            else
            {
                Assert.False(taken, $"step {step}");
                Assert.Equal(TimeSpan.FromMilliseconds(long.Parse(parts[1]["no@".Length..])), retryAfter);
            }
        }
    }
}
