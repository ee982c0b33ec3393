using System.Net.Sockets;

namespace ChatLoad.Server.Transports.Threads;

/// <summary>The threads model's accept loop: a blocking <c>Accept</c> on a dedicated thread.</summary>
internal sealed class BlockingAcceptLoop : IAcceptLoop
{
    private Thread? _thread;

    public void Start(Socket listenSocket, Action<Socket> accepted, Func<Exception, TimeSpan?> failed)
    {
        _thread = new Thread(() => Run(listenSocket, accepted, failed)) { IsBackground = true, Name = "chatload-accept" };
        _thread.Start();
    }

    public void Stop() => _thread?.Join(TimeSpan.FromSeconds(2));

    private static void Run(Socket listenSocket, Action<Socket> accepted, Func<Exception, TimeSpan?> failed)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = listenSocket.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (failed(ex) is not { } backoff)
                    return;
                Thread.Sleep(backoff);
                continue;
            }
            accepted(client);
        }
    }
}
