using ChatLoad.Server.Chat;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Fuzz;

/// <summary>
/// The core logs a handler's exception and carries on (so one bug costs one line, not the server); under the fuzzer
/// that must count as a crash, so an Error-level log throws it back out.
/// </summary>
internal sealed class CrashOnErrorLogger : ILogger<ChatServer>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error)
            throw new BoundBroken($"the core logged an error: {formatter(state, exception)}", exception);
    }
}
