using System.Diagnostics;

namespace ChatLoad.LoadTests.Tests.Support;

/// <summary>How the tests end a process they started (a server, nats-server, an agent).</summary>
internal static class ChildProcess
{
    /// <summary>How long a killed process may take to be reaped. Default 10 s: SIGKILL is immediate; this only bounds
    /// a machine too busy to schedule the reaping.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Kills <paramref name="process"/> and what it started, waits for it to be gone, and disposes it.</summary>
    public static async ValueTask KillAndDisposeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(ExitTimeout);
            }
        }
        catch (Exception)
        {
            // already gone
        }
        process.Dispose();
    }
}
