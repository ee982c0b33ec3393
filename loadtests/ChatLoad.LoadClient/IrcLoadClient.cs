using System.Net;
using System.Net.Sockets;

namespace ChatLoad.LoadClient;

/// <summary>
/// One IRC connection of the load generator: connect, register, join, part, send tracked chat messages, ping, quit.
/// Every wait is bounded by <see cref="IrcLoadClientOptions"/>; a failure is a <see cref="LoadClientException"/>
/// whose <see cref="LoadClientException.Status"/> is a short reason for <c>Response.Fail(status)</c>. Arrivals go
/// to <see cref="IrcLoadClientOptions.Observer"/> (a <see cref="Tracking.DeliveryLedger"/> counts them).
/// </summary>
/// <remarks>One socket, one async receive loop that waits for data before it rents a buffer (so thousands of idle
/// clients hold next to no memory), and one send path that never interleaves lines. It parses only what a load test
/// needs: 001, PING, PONG, 366, PRIVMSG/NOTICE, its own PART, ERROR and error numerics. Split by concern like
/// Kestrel's SocketConnection: lifecycle and replies here, the receive path in <c>IrcLoadClient.Receive.cs</c>, the
/// send path in <c>IrcLoadClient.Send.cs</c>.</remarks>
public sealed partial class IrcLoadClient : IAsyncDisposable
{
    private readonly IrcLoadClientOptions _options;
    private readonly IPAddress? _localAddress;
    private Socket? _socket;
    private Task _receiveLoop = Task.CompletedTask;

    // Replies a caller is waiting for. Set by the caller before it sends the request, completed by the receive loop.
    private TaskCompletionSource? _welcome;
    private readonly Dictionary<string, TaskCompletionSource> _pendingJoins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TaskCompletionSource> _pendingParts = new(StringComparer.OrdinalIgnoreCase); // guarded by _pendingJoins
    private TaskCompletionSource? _pong;
    private long _pendingPingSequence = -1;
    private long _pingSentTimestamp;
    private volatile bool _closingByClient;
    private volatile string? _closeStatus;
    private int _countedAsConnected;

    /// <param name="id">Dense index of this client in its run; the sender id in chat payloads.</param>
    /// <param name="nick">Unique nick (at most the server's NICKLEN, 30 by default).</param>
    /// <param name="options">Where to connect and how long to wait; one instance may serve every client of a run.</param>
    /// <param name="localAddress">Source address to bind, or null to let the kernel choose. Each source address has
    /// its own ~28k ephemeral ports, so past that many clients they are spread over 127.0.0.x.</param>
    public IrcLoadClient(int id, string nick, IrcLoadClientOptions options, IPAddress? localAddress = null)
    {
        Id = id;
        Nick = nick;
        _options = options;
        _localAddress = localAddress;
    }

    /// <summary>The client's index in its run; the sender id its chat messages carry.</summary>
    public int Id { get; }

    /// <summary>The nick it registers with.</summary>
    public string Nick { get; }

    /// <summary>True from a successful connect until the connection ends.</summary>
    public bool IsConnected => _socket is not null && _closeStatus is null;

    /// <summary>True once 001 arrived.</summary>
    public bool IsRegistered { get; private set; }

    /// <summary>Why the connection ended ("closed", "reset", "sendq exceeded", "quit"); null while open.</summary>
    public string? CloseStatus => _closeStatus;

    /// <summary>True when this side ended the connection (QUIT or abort): not a server-side failure.</summary>
    public bool ClosedByClient => _closingByClient;

    /// <summary>Marks the client as counted among a scenario's connected clients; false if it already was.</summary>
    internal bool TryMarkCounted() => Interlocked.Exchange(ref _countedAsConnected, 1) == 0;

    /// <summary>Clears the mark when the client closes; false if it was never counted (so it is uncounted exactly once).</summary>
    internal bool TryUnmarkCounted() => Interlocked.Exchange(ref _countedAsConnected, 0) == 1;

    /// <summary>Scenario state riding along with the client (e.g. the churn session's own order tracker).</summary>
    public object? Tag { get; set; }

    /// <summary>When the last <see cref="PingAsync"/> was sent, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
    public long PingSentTimestamp => Volatile.Read(ref _pingSentTimestamp);

    /// <summary>Text of the last <c>ERROR</c> line the server sent, if any.</summary>
    public string? ServerError { get; private set; }

    /// <summary>Ends when the receive loop does (the connection is gone).</summary>
    public Task Completion => _receiveLoop;

    /// <summary>Opens the TCP connection and starts the receive loop.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
            throw new InvalidOperationException("already connected");
        var socket = new Socket(_options.Server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (_options.ReceiveBufferBytes > 0)
                socket.ReceiveBufferSize = _options.ReceiveBufferBytes;
            if (_localAddress is not null)
                socket.Bind(new IPEndPoint(_localAddress, 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(_options.Server, timeout.Token);
        }
        catch (Exception e)
        {
            socket.Dispose();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            throw new LoadClientException(FailureReasons.Classify(e), $"connect to {_options.Server} failed: {e.Message}", e);
        }
        _socket = socket;
        _receiveLoop = ReceiveLoopAsync(socket);
    }

    /// <summary>Sends NICK and USER and waits for 001 (or fails with the server's reason: full, nick in use, ...).</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var welcome = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _welcome, welcome);
        await SendLineAsync($"NICK {Nick}\r\nUSER {Nick} 0 * :{Nick}\r\n", cancellationToken);
        await AwaitReplyAsync(welcome.Task, "001 welcome", cancellationToken);
        IsRegistered = true;
    }

    /// <summary>Joins <paramref name="channel"/> and waits for the end of its NAMES list (366).</summary>
    public async Task JoinAsync(string channel, CancellationToken cancellationToken)
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingJoins)
            _pendingJoins[channel] = joined;
        await SendLineAsync($"JOIN {channel}\r\n", cancellationToken);
        await AwaitReplyAsync(joined.Task, $"366 for {channel}", cancellationToken);
    }

    /// <summary>Sends <c>PART &lt;channel&gt;</c> and waits for the server to confirm it (its PART echo).</summary>
    public async Task PartAsync(string channel, CancellationToken cancellationToken)
    {
        var parted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingJoins)
            _pendingParts[channel] = parted;
        await SendLineAsync($"PART {channel}\r\n", cancellationToken);
        await AwaitReplyAsync(parted.Task, $"PART echo for {channel}", cancellationToken);
    }

    /// <summary>Sends <c>PING &lt;sequence&gt;</c> and waits for the matching PONG. One at a time per client: a second
    /// call while one waits fails with status "busy".</summary>
    /// <param name="sequence">The PING token, echoed in the PONG (at least 0).</param>
    /// <param name="cancellationToken">Stops waiting (the client then takes the next PING).</param>
    /// <param name="sent">Called once the PING is on the wire (the ping-pong scenario counts an expected reply then).</param>
    public async Task PingAsync(long sequence, CancellationToken cancellationToken, Action? sent = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (Interlocked.CompareExchange(ref _pendingPingSequence, sequence, -1) != -1)
            throw new LoadClientException("busy", $"{this}: a PING is already waiting for its PONG");
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pong, pong);
        Volatile.Write(ref _pingSentTimestamp, _options.Time.GetTimestamp());
        try
        {
            await SendPingAsync(sequence, cancellationToken);
            sent?.Invoke();
            await AwaitReplyAsync(pong.Task, "PONG", cancellationToken);
        }
        finally
        {
            // After a timeout the client takes the next PING; a late PONG for this one is then simply ignored.
            Interlocked.CompareExchange(ref _pendingPingSequence, -1, sequence);
        }
    }

    /// <summary>Sends QUIT, waits (bounded by <see cref="IrcLoadClientOptions.QuitTimeout"/>) for the server to close,
    /// then closes the socket. Never throws. True when the server closed the connection in time (a clean quit).</summary>
    public async Task<bool> QuitAsync(string message = "load test done")
    {
        if (_socket is null)
            return false;
        bool closedByServer = false;
        if (_closeStatus is null)
        {
            _closingByClient = true;
            try
            {
                using var timeout = new CancellationTokenSource(_options.QuitTimeout, _options.Time);
                await SendLineAsync($"QUIT :{message}\r\n", timeout.Token);
                await _receiveLoop.WaitAsync(_options.QuitTimeout, _options.Time);
                closedByServer = true;
            }
            catch (Exception)
            {
                // the server did not close in time, or the connection was already broken: close it ourselves
            }
        }
        Abort();
        await _receiveLoop;
        return closedByServer;
    }

    /// <summary>Closes the socket at once (no QUIT).</summary>
    public void Abort()
    {
        if (_closeStatus is null)
            _closingByClient = true; // a connection the server already ended stays "ended by the server"
        _socket?.Dispose();
        ResumeReading(); // a paused receive loop must wake up to see the socket is gone
    }

    /// <summary>Closes the socket at once (no QUIT) and waits for the receive loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        Abort();
        await _receiveLoop; // the send lock holds no OS handle: nothing else to release
    }

    /// <summary><c>nick#id</c>, for messages.</summary>
    public override string ToString() => $"{Nick}#{Id}";

    private async Task AwaitReplyAsync(Task reply, string what, CancellationToken cancellationToken)
    {
        try
        {
            await reply.WaitAsync(_options.ResponseTimeout, _options.Time, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new LoadClientException(FailureReasons.Timeout, $"{this}: no {what} within {_options.ResponseTimeout.TotalSeconds:0.#} s", e);
        }
    }

    // Called by the receive loop when the connection ends: whoever still waits learns why.
    private void FailPendingReplies(string status, string message)
    {
        var failure = new LoadClientException(status, $"{this}: {message}");
        Volatile.Read(ref _welcome)?.TrySetException(failure);
        Volatile.Read(ref _pong)?.TrySetException(failure);
        lock (_pendingJoins)
        {
            foreach (var pending in _pendingJoins.Values.Concat(_pendingParts.Values))
                pending.TrySetException(failure);
            _pendingJoins.Clear();
            _pendingParts.Clear();
        }
    }
}
