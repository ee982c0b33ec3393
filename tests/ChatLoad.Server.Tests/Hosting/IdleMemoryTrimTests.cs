using ChatLoad.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Tests.Hosting;

/// <summary>When the idle trim collects: once after a burst, when the server has gone quiet — never while busy.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long MB = 1L << 20;

    [Fact]
    public void Trims_once_when_a_burst_is_followed_by_a_quiet_period()
    {
        using var trim = Started(out long allocated);

        Assert.False(trim.Check(allocated += 100 * MB)); // the burst: busy
        Assert.False(trim.Check(allocated += 60 * MB));  // still busy
        Assert.True(trim.Check(allocated += 1 * MB));    // quiet: the burst's garbage is given back
        Assert.False(trim.Check(allocated += 1 * MB));   // and not again until another burst
        Assert.False(trim.Check(allocated += 1 * MB));
    }

    [Fact]
    public void Never_trims_under_steady_load()
    {
        using var trim = Started(out long allocated);

        for (int i = 0; i < 20; i++)
            Assert.False(trim.Check(allocated += 12 * MB)); // below QuietBytes, but no lull: it is the load itself
    }

    [Fact]
    public void Never_trims_a_server_that_had_no_burst()
    {
        using var trim = Started(out long allocated);

        for (int i = 0; i < 20; i++)
            Assert.False(trim.Check(allocated += MB / 2));
    }

    private static IdleMemoryTrim Started(out long allocated)
    {
        var trim = new IdleMemoryTrim(Options.Create(new ServerOptions { IdleMemoryTrim = false }), TimeProvider.System, NullLogger<IdleMemoryTrim>.Instance);
        trim.StartAsync(CancellationToken.None).GetAwaiter().GetResult(); // disabled: no timer, the test drives Check
        allocated = 0;
        trim.Check(allocated);
        return trim;
    }
}
