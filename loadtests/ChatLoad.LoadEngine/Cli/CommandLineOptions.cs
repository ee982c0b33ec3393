using ChatLoad.LoadEngine.Reports;

namespace ChatLoad.LoadEngine.Cli;

/// <summary>What the command line said. Null/empty means "not given" (the config file or code default applies).</summary>
internal sealed record CommandLineOptions
{
    public CommandKind Command { get; init; } = CommandKind.Run;
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public string? Target { get; init; }
    public int? Clients { get; init; }
    public double? Rate { get; init; }
    public TimeSpan? Duration { get; init; }
    public TimeSpan? WarmUp { get; init; }
    public string? ConfigFile { get; init; }
    public string? ReportDir { get; init; }
    public IReadOnlyList<ReportFormat>? ReportFormats { get; init; }
    public IReadOnlyList<string> Thresholds { get; init; } = [];
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public string? Name { get; init; }

    /// <summary><c>--assembly PATH</c> (repeatable): scenario assemblies to load beside the registered scenarios.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary><c>merge</c>: the shard result files.</summary>
    public IReadOnlyList<string> MergeInputs { get; init; } = [];
}

internal enum CommandKind { Run, List, Help, Merge }
