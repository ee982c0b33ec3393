using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>A server under test as the report names it.</summary>
public sealed record ServerDescription(string Name, string Description, bool IsOurs);

/// <summary>How and where the comparison ran, stated in the report: figures mean little without the machine.</summary>
public sealed record RunEnvironment
{
    public required string Machine { get; init; }
    public required string OperatingSystem { get; init; }
    public required string Runtime { get; init; }
    public required int Cores { get; init; }
    public string CpuModel { get; init; } = "";
    public double MemoryGb { get; init; }
    public required CpuPinning Pinning { get; init; }
    public string OpenFileLimit { get; init; } = "";
    public string MaxMapCount { get; init; } = "";
    public string ServerDll { get; init; } = "";
    public string ServerVersion { get; init; } = "";
    public string LoadDll { get; init; } = "";
    public string LoadVersion { get; init; } = "";
    public string GitCommit { get; init; } = "";
    public string CommandLine { get; init; } = "";
    public IReadOnlyList<ServerDescription> ServersUnderTest { get; init; } = [];

    public IEnumerable<(string Name, string Value)> Rows()
    {
        yield return ("Machine", $"{Machine}, {Cores} cores{(CpuModel.Length > 0 ? $" ({CpuModel})" : "")}{(MemoryGb > 0 ? $", {MemoryGb:0} GB RAM" : "")}");
        yield return ("OS", OperatingSystem);
        yield return (".NET", Runtime);
        yield return ("CPU pinning", Pinning.Description);
        yield return ("Limits", $"open files {OpenFileLimit}; vm.max_map_count {MaxMapCount}");
        yield return ("Server", $"{ServerDll} ({ServerVersion})");
        foreach (var s in ServersUnderTest) yield return ($"Server under test: {s.Name}", s.Description + (s.IsOurs ? "" : " (reference, shown beside ours)"));
        yield return ("Load generator", $"{LoadDll} ({LoadVersion})");
        if (GitCommit.Length > 0) yield return ("Commit", GitCommit);
        yield return ("Command", CommandLine);
    }

    public static RunEnvironment Capture(CpuPinning pinning, string serverDll, string loadDll, string commandLine) => new()
    {
        Machine = System.Environment.MachineName,
        OperatingSystem = RuntimeInformation.OSDescription,
        Runtime = RuntimeInformation.FrameworkDescription,
        Cores = System.Environment.ProcessorCount,
        CpuModel = FirstValue("/proc/cpuinfo", "model name") ?? "",
        MemoryGb = (FirstValue("/proc/meminfo", "MemTotal") is { } kb && double.TryParse(kb.Split(' ')[0], out var k)) ? k / 1024 / 1024 : 0,
        Pinning = pinning,
        OpenFileLimit = OpenFiles() ?? "unknown",
        MaxMapCount = ReadTrimmed("/proc/sys/vm/max_map_count") ?? "unknown",
        ServerDll = serverDll,
        ServerVersion = Describe(serverDll),
        LoadDll = loadDll,
        LoadVersion = Describe(loadDll),
        GitCommit = GitHead(Path.GetDirectoryName(Path.GetFullPath(serverDll)) ?? ".") ?? "",
        CommandLine = commandLine,
    };

    private static string Describe(string dll)
    {
        if (!File.Exists(dll)) return "missing";
        var info = FileVersionInfo.GetVersionInfo(dll);
        return $"{info.ProductVersion ?? info.FileVersion ?? "?"}, built {File.GetLastWriteTimeUtc(dll):yyyy-MM-dd HH:mm} UTC";
    }

    private static string? FirstValue(string file, string key)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line?[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return null; }
    }

    private static string? ReadTrimmed(string file)
    {
        try { return File.ReadAllText(file).Trim(); }
        catch (IOException) { return null; }
    }

    private static string? OpenFiles()
    {
        // "Max open files   20000   20000   files": soft and hard limit of this process, which children inherit.
        var line = FirstLine("/proc/self/limits", "Max open files");
        if (line is null) return null;
        var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? $"{parts[0]} soft / {parts[1]} hard" : null;
    }

    private static string? FirstLine(string file, string prefix)
    {
        try { return File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)); }
        catch (IOException) { return null; }
    }

    private static string? GitHead(string directory)
    {
        // Walk up to the repository and read HEAD without running git: the report should not depend on git being installed.
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            string head = Path.Combine(dir.FullName, ".git", "HEAD");
            if (!File.Exists(head)) continue;
            string text = File.ReadAllText(head).Trim();
            if (!text.StartsWith("ref: ", StringComparison.Ordinal)) return text[..Math.Min(12, text.Length)];
            string refPath = Path.Combine(dir.FullName, ".git", text[5..]);
            if (File.Exists(refPath)) return File.ReadAllText(refPath).Trim()[..12];
            var packed = Path.Combine(dir.FullName, ".git", "packed-refs");
            var match = File.Exists(packed) ? File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(text[5..], StringComparison.Ordinal)) : null;
            return match?[..12];
        }
        return null;
    }
}
