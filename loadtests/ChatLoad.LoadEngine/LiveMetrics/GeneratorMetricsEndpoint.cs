using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoad.LoadEngine.Config;
using ChatLoad.LoadEngine.Runner;

namespace ChatLoad.LoadEngine.LiveMetrics;

/// <summary>
/// <c>--metrics-port N</c>: <c>GET /metrics</c> answers with the run's live figures (<see cref="PrometheusExposition"/>),
/// anything else with 404. A deliberately small HTTP/1.1 server with its bounds stated: one request per connection
/// (<c>Connection: close</c>), a request head of at most <see cref="MaxRequestBytes"/> read within
/// <see cref="RequestTimeout"/>, at most <see cref="MaxConnections"/> connections at once (one more is closed
/// unanswered). A scrape costs the generator one small string a second; nothing it does can stall the run.
/// </summary>
internal sealed class GeneratorMetricsEndpoint : IAsyncDisposable
{
    /// <summary>Connections served at once. Default 8: a Prometheus server or two and a curl.</summary>
    public const int MaxConnections = 8;

    /// <summary>Largest request head read. Default 8 KiB, as common HTTP servers allow.</summary>
    public const int MaxRequestBytes = 8192;

    /// <summary>Longest one exchange may take. Default 2 s: a scrape is local and small.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _listener;
    private readonly ILiveRun _run;
    private readonly string _mode;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private readonly Task _acceptLoop;

    private GeneratorMetricsEndpoint(Socket listener, ILiveRun run)
    {
        _listener = listener;
        _run = run;
        _mode = run is LoadRunner ? "single" : "cluster";
        var local = (IPEndPoint)listener.LocalEndPoint!;
        Url = $"http://{(local.Address.Equals(IPAddress.Any) ? "0.0.0.0" : local.Address.ToString())}:{local.Port}/metrics";
        _acceptLoop = AcceptAsync();
    }

    public string Url { get; }

    /// <summary>Starts listening on <paramref name="bind"/>:<paramref name="port"/> (0 = a free port); a port in use is
    /// a <see cref="UsageException"/>.</summary>
    public static GeneratorMetricsEndpoint Start(string bind, int port, ILiveRun run, TimeProvider time)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(bind), port));
            socket.Listen(16);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new UsageException($"--metrics-port {port}: cannot listen on {bind}:{port}: {ex.Message}");
        }
        return new GeneratorMetricsEndpoint(socket, run);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Out of descriptors, or a connection reset before it was accepted: try again shortly.
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }
            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            var head = new byte[MaxRequestBytes];
            int read = 0;
            while (read < head.Length)
            {
                int n = await client.ReceiveAsync(head.AsMemory(read), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0) return;
                read += n;
                if (head.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0) break;
            }
            string requestLine = Encoding.ASCII.GetString(head, 0, Math.Max(0, head.AsSpan(0, read).IndexOf("\r\n"u8)));
            bool metrics = requestLine.StartsWith("GET /metrics ", StringComparison.Ordinal) || requestLine.StartsWith("GET /metrics?", StringComparison.Ordinal);
            string body = metrics ? PrometheusExposition.Write(_run, _mode) : "not found: the figures are at /metrics\n";
            var bytes = Encoding.UTF8.GetBytes(body);
            string status = metrics ? "200 OK" : "404 Not Found";
            string contentType = metrics ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8";
            var header = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
            await client.SendAsync(header, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            await client.SendAsync(bytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a client that went away or took too long: nothing to answer
        }
        finally
        {
            client.Dispose();
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
    }
}
