namespace ChatLoad.LoadTests.Comparison;

/// <summary>
/// Where the server and load CLI builds are. By default the server is looked for in the same configuration's
/// output as this load CLI (bin/Release/net10.0 beside bin/Release/net10.0), found by walking up to ChatLoad.sln.
/// </summary>
public sealed record BuildPaths(string ServerDll, string LoadDll)
{
    public const string ServerProject = "server/ChatLoad.Server";
    public const string ServerAssembly = "ChatLoad.Server.dll";

    public static BuildPaths Resolve(ComparisonOptions options)
    {
        string loadDll = Path.GetFullPath(options.LoadDll ?? typeof(ComparisonCommand).Assembly.Location);
        if (!File.Exists(loadDll))
            throw new ComparisonAbortedException($"load CLI not found at {loadDll} (build it: dotnet build -c Release)");
        string serverDll = options.ServerDll is { } given ? Path.GetFullPath(given) : DefaultServerDll(loadDll);
        if (!File.Exists(serverDll))
            throw new ComparisonAbortedException($"server not found at {serverDll} (build it: dotnet build -c Release {ServerProject}, or pass --server-dll)");
        return new BuildPaths(serverDll, loadDll);
    }

    /// <summary>The server dll in the same configuration and framework folder as <paramref name="loadDll"/>.</summary>
    public static string DefaultServerDll(string loadDll)
    {
        var outputDir = new DirectoryInfo(Path.GetDirectoryName(loadDll)!);  // .../bin/Release/net10.0
        string framework = outputDir.Name;
        string configuration = outputDir.Parent?.Name ?? "Release";
        string root = FindRepositoryRoot(outputDir.FullName) ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, ServerProject, "bin", configuration, framework, ServerAssembly);
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds ChatLoad.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatLoad.sln"))) return dir.FullName;
        return null;
    }
}
