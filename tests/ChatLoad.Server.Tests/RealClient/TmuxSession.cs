using System.Diagnostics;

namespace ChatLoad.Server.Tests.RealClient;

/// <summary>
/// A terminal program driven through tmux on a private tmux socket (so only our own tmux server is ever killed):
/// start it, type into it, read its screen.
/// </summary>
internal sealed class TmuxSession : IDisposable
{
    private readonly string _socket = "chatload-test-" + Guid.NewGuid().ToString("N")[..12];
    private const string Session = "main";

    public static bool IsInstalled(string program) =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(dir => File.Exists(Path.Combine(dir, program))) == true;

    public void Start(string command) => Run("new-session", "-d", "-s", Session, "-x", "200", "-y", "50", command);

    /// <summary>Types <paramref name="text"/> and presses Enter.</summary>
    public void TypeLine(string text)
    {
        Run("send-keys", "-t", Session, "-l", text);
        Run("send-keys", "-t", Session, "Enter");
    }

    /// <summary>The visible screen plus scroll-back.</summary>
    public string Screen() => Run("capture-pane", "-p", "-t", Session, "-S", "-200");

    /// <summary>Polls the screen until it contains <paramref name="text"/>; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForScreenAsync(string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Screen().Contains(text, StringComparison.Ordinal))
                return true;
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>Waits until the program exited (its tmux session ends with it); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                Run("has-session", "-t", Session);
            }
            catch (InvalidOperationException)
            {
                return true; // no session (or no tmux server) left: the program is gone
            }
            await Task.Delay(200);
        }
        return false;
    }

    public void Dispose()
    {
        try
        {
            Run("kill-server");
        }
        catch (InvalidOperationException) { } // already gone
    }

    private string Run(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} hung");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }
}

/// <summary>A theory that is skipped, with the reason, when the client or tmux is not installed.</summary>
public sealed class RealClientTheoryAttribute : TheoryAttribute
{
    public RealClientTheoryAttribute(string program)
    {
        if (!TmuxSession.IsInstalled(program) || !TmuxSession.IsInstalled("tmux"))
            Skip = $"{program} and tmux are not installed (scripts/test.sh installs them through scripts/lib/ensure-deps.sh)";
    }
}
