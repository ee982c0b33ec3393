using System.Net;
using System.Net.Sockets;

namespace ChatLoad.Server.Transports;

/// <summary>Creating the listening socket the same way for both transports.</summary>
internal static class ListenSocket
{
    /// <summary>Pending connections the kernel queues before accept: a burst of a few thousand load clients connects at once.</summary>
    public const int Backlog = 4096;

    private const int SolSocket = 1;  // Linux SOL_SOCKET
    private const int SoReuseAddr = 2; // Linux SO_REUSEADDR

    /// <summary>Binds <paramref name="bind"/>:<paramref name="port"/> (IPv4) and listens.</summary>
    /// <exception cref="SocketException">The address is in use or not available.</exception>
    /// <exception cref="NotSupportedException">An IPv6 address.</exception>
    public static Socket Open(string bind, int port)
    {
        IPAddress address = IPAddress.Parse(bind);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new NotSupportedException("only IPv4 bind addresses are supported; use one such as 127.0.0.1");
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Plain SO_REUSEADDR so a restart can bind while old connections sit in TIME_WAIT. Not .NET's
            // ReuseAddress: on Linux that also sets SO_REUSEPORT, which would let a second server bind the same
            // port and silently split the clients with the first.
            if (OperatingSystem.IsLinux())
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
