namespace ChatLoad.Server.Tests.Hosting;

/// <summary>
/// Tests that run the server as a separate process with hundreds or thousands of clients: they run alone (not
/// beside other test classes) so their OS-level figures and timings are not distorted by parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerProcessCollection
{
    public const string Name = "server processes";
}
