using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatLoad.Server.Tests.Infrastructure;

/// <summary>A bare loopback socket for tests that must not speak TLS or IRC themselves (a stalled handshake, a refusal).</summary>
public static class RawSocket
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    /// <summary>One line (CR/LF stripped) read byte by byte, so nothing after it is consumed; 10 s at most.</summary>
    public static async Task<string> ReadLineAsync(Socket socket)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await socket.ReceiveAsync(one, SocketFlags.None, cts.Token) == 1 && one[0] != (byte)'\n')
            bytes.Add(one[0]);
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }
}
