using System.Net.Sockets;

namespace ChatLoad.Server.Transports;

/// <summary>Turning a freshly accepted socket away with <c>ERROR :&lt;reason&gt;</c>, the same way in both modes.</summary>
internal static class ConnectionRefusal
{
    /// <summary>
    /// Best effort, and never blocking the accept loop: the socket is switched to non-blocking before the one
    /// short write (a fresh socket's send buffer is empty, so it fits), then FIN. Input the client already sent is
    /// read and dropped first (up to <see cref="MaxDrainedBytes"/>): closing a socket with unread input sends RST,
    /// and a RST can make the client lose the ERROR line it has not read yet (a client that writes NICK and USER at
    /// once, while the server was slow to accept it, hit exactly that at EMFILE).
    /// REVIEW: bytes that arrive after the close still draw a RST; only a lingering close could avoid that.
    /// </summary>
    public static void Refuse(Socket socket, string reason)
    {
        try
        {
            socket.Blocking = false;
            socket.Send(ServerReplies.Error(reason), SocketFlags.None, out _);
            DropUnreadInput(socket);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>Most input read and dropped from a refused client before its close.</summary>
    public const int MaxDrainedBytes = 16 * 1024;

    private static void DropUnreadInput(Socket socket)
    {
        Span<byte> scratch = stackalloc byte[1024];
        for (int drained = 0; drained < MaxDrainedBytes && socket.Available > 0;)
        {
            int read = socket.Receive(scratch, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success || read <= 0)
                return;
            drained += read;
        }
    }
}
