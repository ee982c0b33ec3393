using Microsoft.Extensions.Time.Testing;

namespace ChatLoad.LoadEngine.Tests.Support;

/// <summary>Drives a run on fake time: advances the clock in small steps, giving the thread pool a real moment
/// between steps to run what fell due, until the run completes (or a fake-time limit says it hangs).</summary>
internal static class FakeClock
{
    public static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> run, TimeSpan step, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!run.IsCompleted)
        {
            if (advanced > limit) throw new TimeoutException($"the run did not finish within {limit} of fake time");
            await Task.Delay(1);
            time.Advance(step);
            advanced += step;
        }
        return await run;
    }

    public static FakeTimeProvider NewTime() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Engine options for fake-time runs: no CPU monitor (it reads real process time).</summary>
    public static EngineOptions Options(EngineOptions? options = null) => (options ?? new EngineOptions()) with { MonitorGenerator = false };
}
