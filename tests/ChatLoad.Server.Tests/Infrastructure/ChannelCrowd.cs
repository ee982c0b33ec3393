using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatLoad.Server.Tests.Infrastructure;

/// <summary>
/// Many registered members of one channel, cheaply: each is a raw socket that registers and joins in one write
/// and then reads and discards everything (a member that keeps up), with no per-line work — and so answers no
/// PING: run the server with a long PingInterval. Used to build channels
/// of thousands for the WHO/NAMES tests; <see cref="TestIrcClient"/> is for the clients a test looks at.
/// </summary>
public sealed class ChannelCrowd : IAsyncDisposable
{
    private static readonly byte[] JoinMarker = Encoding.ASCII.GetBytes(" JOIN ");

    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();

    private ChannelCrowd()
    {
    }

    /// <summary>Nicks of the members, in join order.</summary>
    public List<string> Nicks { get; } = [];

    /// <summary>
    /// Connects <paramref name="count"/> members named <paramref name="nickOf"/>(0), (1), ... to the server on
    /// <paramref name="port"/>, joins them to <paramref name="channel"/>, and returns once every one has seen
    /// its own JOIN (so the channel has them all). At most <paramref name="concurrentSetups"/> set up at once.
    /// </summary>
    public static async Task<ChannelCrowd> JoinAsync(int port, string channel, int count, Func<int, string> nickOf, TimeSpan timeout, int concurrentSetups = 64)
    {
        var crowd = new ChannelCrowd();
        using var limit = new SemaphoreSlim(concurrentSetups);
        using var deadline = new CancellationTokenSource(timeout);
        var joins = new List<Task>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                string nick = nickOf(i);
                crowd.Nicks.Add(nick);
                await limit.WaitAsync(deadline.Token).ConfigureAwait(false);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                crowd._sockets.Add(socket);
                joins.Add(crowd.SetUpAsync(socket, port, nick, channel, limit, deadline.Token));
            }
            await Task.WhenAll(joins).ConfigureAwait(false);
        }
        catch
        {
            await crowd.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return crowd;
    }

    private async Task SetUpAsync(Socket socket, int port, string nick, string channel, SemaphoreSlim limit, CancellationToken cancellationToken)
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
            byte[] hello = Encoding.ASCII.GetBytes($"NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\nJOIN {channel}\r\n");
            await socket.SendAsync(hello, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            lock (_readers)
                _readers.Add(DrainAsync(socket, joined));
            await joined.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            limit.Release();
        }
    }

    // Reads everything and throws it away; the first " JOIN " a member receives is its own (it precedes any other
    // line of the channel), which says the member is in.
    private async Task DrainAsync(Socket socket, TaskCompletionSource joined)
    {
        byte[] buffer = new byte[16 * 1024];
        byte[] tail = new byte[JoinMarker.Length];
        int tailLength = 0;
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                    break;
                if (joined.Task.IsCompleted)
                    continue;
                // Look for the marker across the end of the previous read too.
                byte[] window = [.. tail.AsSpan(0, tailLength), .. buffer.AsSpan(0, n)];
                if (window.AsSpan().IndexOf(JoinMarker) >= 0)
                    joined.TrySetResult();
                tailLength = Math.Min(JoinMarker.Length - 1, window.Length);
                window.AsSpan(window.Length - tailLength).CopyTo(tail);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        joined.TrySetException(new IOException("a crowd member was disconnected before it joined"));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (Socket socket in _sockets)
            socket.Dispose();
        Task[] readers;
        lock (_readers)
            readers = [.. _readers];
        await Task.WhenAll(readers).ConfigureAwait(false);
        _stop.Dispose();
    }
}
