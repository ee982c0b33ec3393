using System.Net;
using System.Net.Sockets;

namespace ChatLoad.LoadTests.Comparison;

/// <summary>A port nobody listens on right now, picked by the OS (port 0), for a child server to bind.</summary>
internal static class FreePort
{
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
