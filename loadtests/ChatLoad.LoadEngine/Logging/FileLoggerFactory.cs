using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ChatLoad.LoadEngine.Logging;

/// <summary>
/// Where <see cref="ScenarioContext.Logger"/> writes during a command-line run: <c>log.txt</c> in the report folder,
/// one line per entry (<c>time level scenario: message</c>), created on the first entry so a run that logs nothing
/// leaves no file. Writes take a lock: a scenario that logs every iteration pays for it, which is why the default
/// level is Information and Debug/Trace entries are dropped.
/// </summary>
internal sealed class FileLoggerFactory(string path, TimeProvider time, LogLevel minimumLevel = LogLevel.Information) : ILoggerFactory
{
    private readonly object _lock = new();
    private StreamWriter? _writer;
    private bool _failed;

    public string Path { get; } = path;

    /// <summary>True once something was written.</summary>
    public bool WroteAnything { get; private set; }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("the run's log goes to log.txt in the report folder");

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {Abbreviation(level)} {category}: {message}{(exception is null ? "" : Environment.NewLine + exception)}");
        lock (_lock)
        {
            if (_failed) return;
            try
            {
                _writer ??= new StreamWriter(Path, append: true) { AutoFlush = true };
                _writer.WriteLine(line);
                WroteAnything = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failed = true; // a log that cannot be written must not fail the load test
            }
        }
    }

    private static string Abbreviation(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRC", LogLevel.Debug => "DBG", LogLevel.Information => "INF",
        LogLevel.Warning => "WRN", LogLevel.Error => "ERR", _ => "CRT",
    };

    private sealed class FileLogger(FileLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.Write(logLevel, category, formatter(state, exception), exception);
        }
    }

    private readonly LogLevel _minimumLevel = minimumLevel;
}
