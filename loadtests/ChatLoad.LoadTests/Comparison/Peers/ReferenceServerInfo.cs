namespace ChatLoad.LoadTests.Comparison;

/// <summary>What the report states of a reference server that ran, saved in comparison.json so that a report rendered
/// again later says what ran then: its version, model, socket options and config limits.</summary>
public sealed record ReferenceServerInfo(string Name, string Title, string Version, string Model, string SocketOptions, string Limits, string Strengths)
{
    public static ReferenceServerInfo Of(ReferenceServer server) =>
        new(server.Name, server.Title, ReferenceServerLauncher.Version(server), server.Model, server.SocketOptions, server.Limits, server.Strengths);

    /// <summary>The reference servers among <paramref name="servers"/>, described (each version asked once).</summary>
    public static IReadOnlyList<ReferenceServerInfo> For(IEnumerable<string> servers) =>
        servers.Select(ReferenceServers.Find).OfType<ReferenceServer>().Select(Of).ToArray();
}
