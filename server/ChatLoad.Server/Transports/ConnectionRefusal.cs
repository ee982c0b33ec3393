using System.Net.Sockets;

namespace ChatLoad.Server.Transports;

/// <summary>Turning a freshly accepted socket away with <c>ERROR :&lt;reason&gt;</c>, the same way in both modes.</summary>
internal static class ConnectionRefusal
{
    /// <summary>
    /// Best effort, and never blocking the accept loop: the socket is switched to non-blocking before the one
    /// short write (a fresh socket's send buffer is empty, so it fits), then FIN.
    /// REVIEW: a client that already sent bytes may get RST instead (unread input at close), losing the ERROR.
    /// </summary>
    public static void Refuse(Socket socket, string reason)
    {
        try
        {
            socket.Blocking = false;
            socket.Send(ServerReplies.Error(reason), SocketFlags.None, out _);
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
