using System.Net.Sockets;

namespace ChatLoad.Server.Transports.Pipelines;

/// <summary>The async model's accept loop: <c>AcceptAsync</c> on the thread pool, no thread of its own.</summary>
internal sealed class AsyncAcceptLoop(TimeProvider time) : IAcceptLoop
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start(Socket listenSocket, Action<Socket> accepted, Func<Exception, TimeSpan?> failed) =>
        _loop = Task.Run(() => RunAsync(listenSocket, accepted, failed));

    public void Stop()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException) { }
    }

    private async Task RunAsync(Socket listenSocket, Action<Socket> accepted, Func<Exception, TimeSpan?> failed)
    {
        CancellationToken stopping = _stop.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listenSocket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                if (failed(ex) is not { } backoff)
                    return;
                try
                {
                    await Task.Delay(backoff, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            accepted(client);
        }
    }
}
