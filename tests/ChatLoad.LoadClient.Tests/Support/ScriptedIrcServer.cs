using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatLoad.LoadClient.Tests.Support;

/// <summary>A one-connection loopback peer the test drives line by line, to check the load client's protocol handling
/// without the real server (which has tests of its own).</summary>
internal sealed class ScriptedIrcServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _peer;
    private StreamReader? _reader;

    public ScriptedIrcServer() => _listener.Start();

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public async Task AcceptAsync()
    {
        _peer = await _listener.AcceptSocketAsync().WaitAsync(Patience);
        _reader = new StreamReader(new NetworkStream(_peer), Encoding.UTF8);
    }

    public async Task<string> ReadLineAsync() =>
        await _reader!.ReadLineAsync().WaitAsync(Patience) ?? throw new EndOfStreamException("client closed");

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _peer!.SendAsync(bytes, SocketFlags.None);

    /// <summary>Sends one byte per write, so the client sees a line split at every position.</summary>
    public async Task SendByteByByteAsync(string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            await _peer!.SendAsync(new[] { b }, SocketFlags.None);
            await Task.Delay(1);
        }
    }

    public void CloseConnection() => _peer?.Shutdown(SocketShutdown.Both);

    public ValueTask DisposeAsync()
    {
        _peer?.Dispose();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
