using System.Net;
using System.Net.Sockets;

namespace ChatLoad.Server.Tests.Infrastructure;

/// <summary>
/// A free loopback port for listeners that cannot bind port 0 themselves (the HTTP metrics endpoint).
/// Bind-and-release can race with another process taking the port; on this loopback-only machine that is rare.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
