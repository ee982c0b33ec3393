using System.Net.Sockets;

namespace ChatLoad.Server.Transports;

/// <summary>What the kernel holds for a socket, asked the same way by both models.</summary>
internal static class KernelQueue
{
    /// <summary>Bytes received and not yet read (FIONREAD), or 0 when the socket is closed or reset.</summary>
    public static int ReceiveBytes(Socket socket)
    {
        try
        {
            return socket.Available;
        }
        catch (SocketException) { return 0; }
        catch (ObjectDisposedException) { return 0; }
    }
}
