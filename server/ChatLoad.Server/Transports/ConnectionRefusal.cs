using System.Net.Sockets;

namespace ChatLoad.Server.Transports;

/// <summary>Turning a freshly accepted socket away with <c>ERROR :Server full</c>, the same way in both modes.</summary>
internal static class ConnectionRefusal
{
    /// <summary>
    /// Best effort: a fresh socket has an empty send buffer, so this short write does not block. Then FIN.
    /// REVIEW: a client that already sent bytes may get RST instead (unread input at close), losing the ERROR.
    /// </summary>
    public static void Refuse(Socket socket)
    {
        try
        {
            socket.Send(ServerReplies.ServerFull, SocketFlags.None, out _);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            socket.Dispose();
        }
    }
}
