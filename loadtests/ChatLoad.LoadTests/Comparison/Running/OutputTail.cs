namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// The last lines a child process wrote, kept for error messages, plus an optional capped copy on disk. Bounded both
/// ways: a chatty server logging thousands of connections must not grow the comparison's memory or fill the disk.
/// </summary>
internal sealed class OutputTail : IDisposable
{
    /// <summary>Lines kept in memory. Default 40: enough for an exception's message and the top of its stack.</summary>
    public const int DefaultLines = 40;

    /// <summary>Bytes written to the log file before it is cut. Default 4 MiB per process.</summary>
    public const long DefaultFileCapBytes = 4L * 1024 * 1024;

    private readonly Queue<string> _lines = new();
    private readonly int _maxLines;
    private readonly StreamWriter? _file;
    private readonly long _fileCap;
    private long _fileBytes;
    private bool _fileCut;
    private readonly object _gate = new();

    public OutputTail(string? filePath = null, int maxLines = DefaultLines, long fileCapBytes = DefaultFileCapBytes)
    {
        _maxLines = maxLines;
        _fileCap = fileCapBytes;
        if (filePath is not null) _file = new StreamWriter(filePath, append: true) { AutoFlush = false };
    }

    public void Add(string? line, string? prefix = null)
    {
        if (line is null) return;
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _maxLines) _lines.Dequeue();
            if (_file is null || _fileCut) return;
            string text = prefix is null ? line : prefix + line;
            _fileBytes += text.Length + 1;
            if (_fileBytes > _fileCap)
            {
                _file.WriteLine($"... (log cut at {_fileCap / 1024 / 1024} MiB)");
                _fileCut = true;
                return;
            }
            _file.WriteLine(text);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return _lines.ToArray(); }
    }

    /// <summary>The last <paramref name="count"/> non-empty lines joined, for an error message.</summary>
    public string Last(int count = 8)
    {
        lock (_gate)
            return string.Join("\n", _lines.Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(count));
    }

    public void Dispose()
    {
        lock (_gate) _file?.Dispose();
    }
}
