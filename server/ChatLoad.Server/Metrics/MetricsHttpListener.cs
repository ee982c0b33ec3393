using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ChatLoad.Server.Metrics;

/// <summary>
/// The metrics endpoint's HTTP side: a deliberately small HTTP/1.1 server for one resource, with every bound the
/// server needs stated and enforced here rather than inherited from a general-purpose web host.
/// <list type="bullet">
/// <item>At most <c>maxConnections</c> connections at once; one more gets <c>503</c> and is closed straight away, so
/// HTTP clients hold at most that many descriptors (ServerOptions.MetricsMaxConnections, reserved from the IRC budget).</item>
/// <item>One request per connection (<c>Connection: close</c>): nothing idles after a response.</item>
/// <item>Each exchange — connect, request head, response — must finish within <c>requestTimeout</c>; a half-sent
/// request or a client that does not take its response is dropped then (header and idle timeout in one).</item>
/// <item>Stopping closes every connection at once: a scrape is never worth delaying shutdown for.</item>
/// <item>An accept that fails for lack of descriptors (EMFILE) is logged and retried after a pause; the endpoint
/// keeps serving once descriptors are free again.</item>
/// </list>
/// </summary>
/// <remarks>
/// Kestrel hosted directly (no WebHost) was evaluated again and measured (docs/PACKAGES.md): it meets the bind and
/// shutdown bounds, but at descriptor exhaustion the process aborted, or the endpoint stayed broken until restart.
/// Why not Kestrel (prometheus-net's KestrelMetricServer, used before): its WebHost registers its own SIGTERM handler
/// that blocks until its graceful stop ends, and that stop waits for open requests (up to 30 s), so one half-sent
/// request delayed the server's whole shutdown by 30 s before our staged shutdown even began (seen with
/// dotnet-stack: WebHostLifetime.HandlePosixSignal). Its accept loop also stops for good on EMFILE.
/// </remarks>
internal sealed class MetricsHttpListener : IAsyncDisposable
{
    /// <summary>Pending connections the kernel queues: small, since only a handful of scrapers are expected.</summary>
    private const int Backlog = 64;

    /// <summary>Pause after an accept failed (EMFILE and friends) before trying again.</summary>
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private static readonly byte[] ServiceUnavailable = Response("503 Service Unavailable", "too many metrics connections\n");

    private readonly IPEndPoint _endPoint;
    private readonly int _maxConnections;
    private readonly TimeSpan _requestTimeout;
    private readonly Func<Stream, CancellationToken, Task> _writeExposition;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Transports.LogThrottle _refusalLog = new(TimeSpan.FromSeconds(1)); // a client can cause one per connect
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private Socket? _listenSocket;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;
    private int _open;
    private long _lastAcceptErrorLog = long.MinValue;

    /// <param name="endPoint">Where to listen (MetricsBind:MetricsPort).</param>
    /// <param name="maxConnections">Connections held at once (MetricsMaxConnections); one more gets 503.</param>
    /// <param name="requestTimeout">The bound on one exchange (MetricsRequestTimeout).</param>
    /// <param name="writeExposition">Writes the Prometheus text into the stream (the registry's export).</param>
    /// <param name="time">The clock for the timeouts and the accept back-off.</param>
    /// <param name="logger">Where refusals, timeouts and accept failures are logged.</param>
    public MetricsHttpListener(IPEndPoint endPoint, int maxConnections, TimeSpan requestTimeout,
        Func<Stream, CancellationToken, Task> writeExposition, TimeProvider time, ILogger logger)
    {
        _endPoint = endPoint;
        _maxConnections = maxConnections;
        _requestTimeout = requestTimeout;
        _writeExposition = writeExposition;
        _time = time;
        _logger = logger;
    }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listenSocket ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    /// <summary>HTTP connections open now (never more than maxConnections).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Binds and starts accepting. <exception cref="SocketException">The address is in use or not available.</exception></summary>
    public void Start()
    {
        var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(_endPoint);
            socket.Listen(Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listenSocket = socket;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Stops accepting, closes every connection, and waits for them up to <paramref name="wait"/>.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        if (!_stopping.IsCancellationRequested)
            _stopping.Cancel();
        _listenSocket?.Dispose();
        Task all = Task.WhenAll(_connections.Values.Append(_acceptLoop));
        await Task.WhenAny(all, Task.Delay(wait, _time)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listenSocket!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE/ENFILE/ENOBUFS: log (at most every 10 s), wait, try again; the connection stays queued. At
                // EMFILE the runtime gets the process's spare descriptors (it ends the process when a thread cannot
                // start for lack of one: Transports/Admission/DescriptorReserve.cs) and the IRC listeners refuse
                // new clients until descriptors are free again.
                LogAcceptFailure(ex.SocketErrorCode);
                if (ex.SocketErrorCode == SocketError.TooManyOpenSockets)
                    Transports.Admission.DescriptorReserve.Shared.GiveBackRuntimeSpares();
                try
                {
                    await Task.Delay(AcceptRetryDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }

            if (Interlocked.Increment(ref _open) > _maxConnections)
            {
                Interlocked.Decrement(ref _open);
                if (_refusalLog.ShouldLog(_time, out int suppressed))
                    MetricsLog.ConnectionRefused(_logger, _maxConnections, suppressed);
                Refuse(client);
                continue;
            }
            long id = Interlocked.Increment(ref _nextId);
            Task serving = ServeAsync(client);
            _connections[id] = serving;
            // Removed only after it was added, even when it finished first.
            _ = serving.ContinueWith(_ => _connections.TryRemove(id, out Task? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield(); // never run a connection on the accept loop's stack
        using var deadline = new CancellationTokenSource(_requestTimeout, _time);
        using CancellationTokenRegistration onStop = _stopping.Token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MetricsRequest.MaxHeadBytes);
        try
        {
            int filled = 0, headEnd;
            while ((headEnd = MetricsRequest.FindEndOfHead(buffer.AsSpan(0, filled))) < 0)
            {
                if (filled >= MetricsRequest.MaxHeadBytes)
                {
                    await SendAsync(socket, Response("431 Request Header Fields Too Large", "request head too large\n"), deadline.Token).ConfigureAwait(false);
                    return;
                }
                int received = await socket.ReceiveAsync(buffer.AsMemory(filled, MetricsRequest.MaxHeadBytes - filled), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (received == 0)
                    return; // the client went away before finishing its request
                filled += received;
            }

            byte[] response = MetricsRequest.Classify(buffer.AsSpan(0, headEnd), out bool headOnly) switch
            {
                MetricsResponseKind.Exposition => await ExpositionAsync(headOnly, deadline.Token).ConfigureAwait(false),
                MetricsResponseKind.NotFound => Response("404 Not Found", $"only {MetricsRequest.Path} is served here\n"),
                MetricsResponseKind.MethodNotAllowed => Response("405 Method Not Allowed", "GET or HEAD\n", "Allow: GET, HEAD\r\n"),
                _ => Response("400 Bad Request", "not an HTTP/1.x request\n"),
            };
            await SendAsync(socket, response, deadline.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (OperationCanceledException)
        {
            if (!_stopping.IsCancellationRequested)
                MetricsLog.RequestTimedOut(_logger, _requestTimeout);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The client reset or left: nothing to answer.
        }
        catch (Exception ex)
        {
            MetricsLog.RequestFailed(_logger, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            socket.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task<byte[]> ExpositionAsync(bool headOnly, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await _writeExposition(body, cancellationToken).ConfigureAwait(false);
        string headers = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n" +
                         $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        byte[] head = Encoding.ASCII.GetBytes(headers);
        if (headOnly)
            return head;
        byte[] response = new byte[head.Length + body.Length];
        head.CopyTo(response, 0);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(response.AsSpan(head.Length));
        return response;
    }

    private static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    // Over the connection cap: a fresh socket's send buffer is empty, so this short write does not block.
    private static void Refuse(Socket socket)
    {
        try
        {
            socket.Send(ServiceUnavailable, SocketFlags.None, out _);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        finally
        {
            socket.Dispose();
        }
    }

    private void LogAcceptFailure(SocketError error)
    {
        long now = _time.GetTimestamp();
        long last = Volatile.Read(ref _lastAcceptErrorLog);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(10))
            return;
        Volatile.Write(ref _lastAcceptErrorLog, now);
        MetricsLog.AcceptFailed(_logger, error, AcceptRetryDelay);
    }

    private static byte[] Response(string status, string body, string extraHeaders = "") =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
                                $"{extraHeaders}Connection: close\r\n\r\n{body}");
}
