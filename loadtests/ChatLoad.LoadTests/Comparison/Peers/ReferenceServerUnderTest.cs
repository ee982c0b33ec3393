namespace ChatLoad.LoadTests.Comparison;

/// <summary>A reference server (ngIRCd, InspIRCd, a Python model) as a server under test: started by
/// <see cref="ReferenceServerLauncher"/>, measured from /proc (it has no metrics endpoint), shown beside ours.</summary>
internal sealed class ReferenceServerUnderTest(ReferenceServer server) : IServerUnderTest
{
    public string Name => server.Name;

    public string Description => server.Title;

    public bool IsOurs => false;

    public Task<RunningServer> StartAsync(ServerLaunch launch, CancellationToken cancellationToken) =>
        ReferenceServerLauncher.StartAsync(server, launch.Cores, launch.LogPath, Path.ChangeExtension(launch.LogPath, ".config"),
            launch.StartTimeout, launch.Time, cancellationToken);
}
