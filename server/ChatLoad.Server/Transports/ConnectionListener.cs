using System.Net;
using System.Net.Sockets;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Transports.Admission;
using ChatLoad.Server.Transports.Tls;

namespace ChatLoad.Server.Transports;

/// <summary>Where a listener accepts: the plain IRC port, or the TLS port with its endpoint.</summary>
internal sealed record ListenEndpoint(string Bind, int Port, TlsEndpoint? Tls = null);

/// <summary>
/// The listener of both models: binds each endpoint (the plain port, and the TLS port when configured), hands each
/// accepted socket to the one <see cref="ConnectionAdmission"/>, asks the core for a session
/// (<see cref="IConnectionAcceptor.OnConnected"/>, at the same moment in both models: on the accept loop, before any
/// byte is read), starts the connection, and runs shutdown's stages. A model supplies its accept loop and how to make
/// a connection from a socket (with its TLS endpoint, if any).
/// </summary>
internal sealed class ConnectionListener : IConnectionListener
{
    /// <summary>Back-off after a failed accept that could not even be answered, so a persistent failure is not a busy loop.</summary>
    internal static readonly TimeSpan AcceptFailureBackoff = TimeSpan.FromMilliseconds(50);

    /// <summary>How often, while out of descriptors, the listener looks whether enough are free again.</summary>
    internal static readonly TimeSpan RecoveryCheckInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>At most one "accept failed" warning per this interval; the rest are counted into the next one.</summary>
    internal static readonly TimeSpan AcceptFailureLogInterval = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<ListenEndpoint> _endpoints;
    private readonly IConnectionAcceptor _acceptor;
    private readonly TransportContext _context;
    private readonly ConnectionAdmission _admission;
    private readonly Func<IAcceptLoop> _newAcceptLoop;
    private readonly Func<Socket, EndPoint?, TransportContext, TlsEndpoint?, TransportConnection> _createConnection;
    private readonly ConnectionRegistry _connections = new();
    private readonly DescriptorReserve _reserve; // the process's (tests give their own)
    private readonly List<(Socket Socket, IAcceptLoop Loop)> _listening = [];
    private readonly LogThrottle _acceptFailureLog = new(AcceptFailureLogInterval);
    private long _nextRecoveryCheck;
    private readonly int _descriptorsReservedElsewhere;
    private int _descriptorBudget = int.MaxValue; // set by Start, once the listening sockets and the reserve are open
    private volatile bool _stopping;

    /// <param name="endpoints">The ports to listen on (plain and TLS).</param>
    /// <param name="acceptor">The chat core, told of every admitted connection.</param>
    /// <param name="context">What every connection shares: limits, metrics, clock, logger, writer run queues.</param>
    /// <param name="admission">Decides who may connect (ceilings, per-address limits) before a connection exists.</param>
    /// <param name="newAcceptLoop">The connection model's accept loop, one per listening socket.</param>
    /// <param name="createConnection">The connection model's connection for an accepted socket.</param>
    /// <param name="reserve">The process's descriptor reserve (tests give their own).</param>
    /// <param name="descriptorsReservedElsewhere">Descriptors that other parts will still open (the metrics endpoint's
    /// reserve): the backstop against EMFILE leaves them out of what clients may take.</param>
    public ConnectionListener(IReadOnlyList<ListenEndpoint> endpoints, IConnectionAcceptor acceptor, TransportContext context,
        ConnectionAdmission admission, Func<IAcceptLoop> newAcceptLoop,
        Func<Socket, EndPoint?, TransportContext, TlsEndpoint?, TransportConnection> createConnection, int descriptorsReservedElsewhere = 0,
        DescriptorReserve? reserve = null)
    {
        _descriptorsReservedElsewhere = descriptorsReservedElsewhere;
        _reserve = reserve ?? DescriptorReserve.Shared;
        _endpoints = endpoints;
        _acceptor = acceptor;
        _context = context;
        _admission = admission;
        _newAcceptLoop = newAcceptLoop;
        _createConnection = createConnection;
        context.ConnectionEnded = OnConnectionEnded;
        context.DescriptorsExhausted = DescriptorsExhausted;
    }

    /// <summary>The plain IRC endpoint (the first).</summary>
    public IPEndPoint LocalEndPoint => EndPointOf(0);

    /// <summary>The TLS endpoint, or null when there is none.</summary>
    public IPEndPoint? TlsEndPoint => _endpoints.Count > 1 && _endpoints[1].Tls is not null ? EndPointOf(1) : null;

    public int ConnectionLimit => _admission.Limit;

    public int OpenConnections => _connections.Count;

    public void Start()
    {
        var sockets = _endpoints.Select(endpoint => ListenSocket.Open(endpoint.Bind, endpoint.Port)).ToList();
        // What clients may take at most, whatever the ceiling's headroom says: the open-file limit less what is open
        // now (listening sockets and the reserve included), what others will still open, and an allowance for the
        // runtime's own later growth (thread-pool I/O, timers).
        ConnectionCeiling now = ConnectionCeiling.Measure(descriptorHeadroom: 0);
        _descriptorBudget = (int)Math.Clamp(now.OpenFileLimit - now.DescriptorsInUse - _descriptorsReservedElsewhere - RuntimeGrowthAllowance, 0, int.MaxValue);
        for (int i = 0; i < _endpoints.Count; i++)
        {
            Socket socket = sockets[i];
            TlsEndpoint? tls = _endpoints[i].Tls;
            IAcceptLoop loop = _newAcceptLoop();
            _listening.Add((socket, loop));
            loop.Start(socket, client => OnAccepted(client, tls), ex => OnAcceptFailed(socket, ex));
        }
    }

    /// <summary>Descriptors the backstop leaves for the runtime's growth after start, beyond its spares.</summary>
    internal const int RuntimeGrowthAllowance = 16;

    public void StopAccepting()
    {
        _stopping = true;
        foreach ((Socket socket, _) in _listening)
            socket.Dispose(); // wakes a blocking Accept and ends a pending AcceptAsync
        foreach ((_, IAcceptLoop loop) in _listening)
            loop.Stop();
    }

    public void CloseAll(string reason) => _connections.CloseAll(reason);

    public Task<bool> WaitForConnectionsToCloseAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _connections.WaitUntilEmptyAsync(timeout, _context.Time, cancellationToken);

    public void AbortAll() => _connections.AbortAll();

    public ValueTask DisposeAsync()
    {
        if (!_stopping)
            StopAccepting();
        AbortAll();
        return ValueTask.CompletedTask;
    }

    private IPEndPoint EndPointOf(int index) =>
        index < _listening.Count ? (IPEndPoint)_listening[index].Socket.LocalEndPoint! : throw new InvalidOperationException("not started");

    private void OnAccepted(Socket client, TlsEndpoint? tls)
    {
        EndPoint? remote;
        try
        {
            remote = client.RemoteEndPoint;
        }
        catch (SocketException)
        {
            client.Dispose(); // gone before we looked
            return;
        }

        if (IsOutOfDescriptors() || LastDescriptorsWouldGo())
        {
            // Since EMFILE the runtime holds the spare descriptors; a client admitted now would take them from it.
            Refuse(client, remote, AdmissionRefusal.OutOfDescriptors);
            return;
        }
        if (!_admission.TryAdmit(remote, out AdmissionRefusal? refusal))
        {
            Refuse(client, remote, refusal);
            return;
        }
        if (tls is not null && !tls.TryBeginHandshake())
        {
            _admission.Release(remote);
            Refuse(client, remote, AdmissionRefusal.TooManyHandshakes);
            return;
        }

        TransportConnection connection;
        IConnectionSession session;
        try
        {
            connection = _createConnection(client, remote, _context, tls);
            session = _acceptor.OnConnected(connection);
        }
        catch (Exception ex)
        {
            // The peer may already be gone (socket options fail), or the core failed: this client only.
            _admission.Release(remote);
            tls?.EndHandshake();
            TransportLog.AdmitFailed(_context.Logger, ex);
            client.Dispose();
            return;
        }

        _context.Metrics.ConnectionOpened();
        _connections.Add(connection);
        connection.Start(session);
    }

    private void Refuse(Socket client, EndPoint? remote, AdmissionRefusal refusal)
    {
        _context.Metrics.ConnectionRefused(refusal.Kind);
        TransportLog.Refused(_context.Logger, remote?.ToString() ?? "unknown", refusal.Reason, _admission.Admitted, _admission.Limit);
        ConnectionRefusal.Refuse(client, refusal.Reason);
    }

    private TimeSpan? OnAcceptFailed(Socket listenSocket, Exception exception)
    {
        switch (exception)
        {
            case ObjectDisposedException or OperationCanceledException:
                return null;
            case SocketException ex when _stopping || ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted:
                return null;
            case SocketException { SocketErrorCode: SocketError.TooManyOpenSockets } ex:
                // EMFILE: the process is out of descriptors (the ceiling should prevent it; something else took them).
                // The existing clients are untouched; the waiting one is told why with the spare descriptor.
                LogAcceptFailure(ex.SocketErrorCode);
                DescriptorsExhausted();
                return RefuseWithReserve(listenSocket) ? TimeSpan.Zero : AcceptFailureBackoff;
            case SocketException ex:
                LogAcceptFailure(ex.SocketErrorCode);
                return AcceptFailureBackoff;
            default:
                return _stopping ? null : AcceptFailureBackoff;
        }
    }

    // With the spare descriptor given back: take the client that EMFILE left waiting and tell it the true reason.
    private bool RefuseWithReserve(Socket listenSocket)
    {
        bool refusedOne = false;
        bool reserved = _reserve.TryUse(() =>
        {
            try
            {
                if (!listenSocket.Poll(0, SelectMode.SelectRead))
                    return; // the client gave up meanwhile: nothing waits
                Socket client = listenSocket.Accept();
                EndPoint? remote = null;
                try
                {
                    remote = client.RemoteEndPoint;
                }
                catch (SocketException) { }
                Refuse(client, remote, AdmissionRefusal.OutOfDescriptors);
                refusedOne = true;
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        });
        return reserved && refusedOne;
    }

    /// <summary>
    /// The process ran out of descriptors (accept met EMFILE, or a thread could not start for lack of one): the
    /// runtime gets its spares back, and new clients are refused with the reason until descriptors are free again.
    /// </summary>
    private void DescriptorsExhausted()
    {
        if (_reserve.IsSpent)
            return;
        _reserve.GiveBackRuntimeSpares();
        _nextRecoveryCheck = _context.Time.GetTimestamp() + (long)(RecoveryCheckInterval.TotalSeconds * _context.Time.TimestampFrequency);
        TransportLog.DescriptorsExhausted(_context.Logger, DescriptorReserve.RuntimeSpares, _admission.Admitted);
    }

    // A backstop behind the ceiling (which keeps DescriptorHeadroom free): whatever the ceiling says, never admit a
    // client into the last descriptors the runtime needs, since it ends the process when a thread cannot start.
    // Reaching it is a true EMFILE-in-waiting, handled as one.
    private bool LastDescriptorsWouldGo()
    {
        if (!IsNearDescriptorBudget())
            return false;
        DescriptorsExhausted();
        return true;
    }

    private bool IsNearDescriptorBudget() => _admission.Admitted >= _descriptorBudget;

    // While the spares are handed back: refuse, but look (at most every RecoveryCheckInterval) whether enough
    // descriptors are free again to take the spares back and admit clients once more.
    private bool IsOutOfDescriptors()
    {
        if (!_reserve.IsSpent)
            return false;
        long now = _context.Time.GetTimestamp();
        if (now < Interlocked.Read(ref _nextRecoveryCheck))
            return true;
        Interlocked.Exchange(ref _nextRecoveryCheck, now + (long)(RecoveryCheckInterval.TotalSeconds * _context.Time.TimestampFrequency));
        if (IsNearDescriptorBudget() || !_reserve.TryTakeRuntimeSpares())
            return true;
        TransportLog.DescriptorsRecovered(_context.Logger, _admission.Admitted);
        return false;
    }

    private void LogAcceptFailure(SocketError error)
    {
        if (_acceptFailureLog.ShouldLog(_context.Time, out int suppressed))
            TransportLog.AcceptFailed(_context.Logger, error, suppressed, (int)AcceptFailureBackoff.TotalMilliseconds);
    }

    private void OnConnectionEnded(TransportConnection connection)
    {
        _connections.Remove(connection);
        _admission.Release(connection.RemoteEndPoint);
    }
}
