using System.Reflection;
using System.Text.RegularExpressions;

namespace ChatLoad.LoadEngine.Cluster.Protocol;

/// <summary>
/// The agreement between a coordinator and its agents: the protocol version both must speak, and the NATS subjects.
/// Everything crosses the network as JSON (large payloads gzipped and chunked, see <see cref="BlobTransfer"/>):
/// <list type="bullet">
/// <item><c>chatload.agents.hello</c>, <c>chatload.agents.discover</c>: agents announce themselves; a coordinator asks who is there.</item>
/// <item><c>chatload.agent.NAME.VERB</c>: the coordinator to one agent (clock, assign, start, gathered, stop, abort).</item>
/// <item><c>chatload.run.RUN.VERB</c>: agents to the coordinator of one run (progress, ready, gather, result) and its heartbeat.</item>
/// </list>
/// </summary>
internal static partial class ClusterProtocol
{
    /// <summary>Bump whenever a message changes shape or meaning: a coordinator and an agent of different versions refuse
    /// each other at start, with both versions in the message, rather than misread each other mid-run.</summary>
    public const int Version = 1;

    /// <summary>The engine build both sides must run (its informational version): results from agents running
    /// different engine code would merge into figures no single build would have measured.</summary>
    public static string EngineVersion { get; } =
        typeof(ClusterProtocol).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ClusterProtocol).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The engine assembly's module version id: the same for the same build. Shown, and a difference noted,
    /// but not refused (agents built from the same source on another SDK differ here and agree in behaviour).</summary>
    public static string BuildId { get; } = typeof(ClusterProtocol).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    public const string Hello = "chatload.agents.hello";
    public const string Discover = "chatload.agents.discover";

    public static string ToAgent(string agent, string verb) => $"chatload.agent.{agent}.{verb}";

    public static string AgentWildcard(string agent) => $"chatload.agent.{agent}.*";

    public static string ToRun(string runId, string verb) => $"chatload.run.{runId}.{verb}";

    /// <summary>Agent and run names become subject tokens: letters, digits, '-' and '_' only.</summary>
    public static bool IsValidName(string name) => NameRule().IsMatch(name);

    /// <summary>Why two sides cannot work together, or null when they can.</summary>
    public static string? Incompatibility(int theirProtocol, string theirEngine, string theirRole)
    {
        if (theirProtocol != Version)
            return $"{theirRole} speaks cluster protocol {theirProtocol}, this build speaks {Version} (engine {EngineVersion}): run the same ChatLoad build on both";
        if (theirEngine != EngineVersion)
            return $"{theirRole} runs engine {theirEngine}, this build runs {EngineVersion}: run the same ChatLoad build on both";
        return null;
    }

    public static string NewRunId(DateTimeOffset now) => $"r{now:yyyyMMddHHmmss}{Guid.NewGuid().ToString("N")[..6]}";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NameRule();
}
