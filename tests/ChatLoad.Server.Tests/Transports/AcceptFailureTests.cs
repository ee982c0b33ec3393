using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Tests.Infrastructure;
using ChatLoad.Server.Transports;
using ChatLoad.Server.Transports.Admission;
using ChatLoad.Server.Transports.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TransportContext = ChatLoad.Server.Transports.TransportContext;

namespace ChatLoad.Server.Tests.Transports;

/// <summary>
/// The listener at EMFILE in accept, driven directly (a real listening socket, the accept loop played by the test, a
/// reserve of its own): the waiting client is told the true reason, the runtime's spares are handed back, new clients
/// are refused until descriptors are free again, then admitted.
/// </summary>
public sealed class AcceptFailureTests
{
    [Fact]
    public async Task At_EMFILE_the_waiting_client_hears_why_and_new_clients_are_refused_until_descriptors_are_free()
    {
        var time = new FakeTimeProvider();
        using var reserve = new DescriptorReserve();
        var loop = new PlayedAcceptLoop();
        var context = new TransportContext(new ServerOptions { Mode = ConnectionMode.Async }, new ChatMetrics(), time, NullLogger.Instance);
        await using var listener = new ConnectionListener([new ListenEndpoint("127.0.0.1", 0)], new SilentAcceptor(), context,
            new ConnectionAdmission(100), () => loop,
            static (socket, remote, context, tls) => new SocketConnection(socket, remote, context, tls), reserve: reserve);
        listener.Start();
        Assert.False(reserve.IsSpent);

        // A client waits in the kernel's queue while accept fails with EMFILE.
        using Socket waiting = await RawSocket.ConnectAsync(listener.LocalEndPoint);
        TimeSpan? backoff = loop.Failed!(new SocketException((int)SocketError.TooManyOpenSockets));
        Assert.Equal(TimeSpan.Zero, backoff); // it refused the waiting client, so the loop may try again at once
        Assert.Equal("ERROR :Server out of file descriptors; try again later", await RawSocket.ReadLineAsync(waiting));
        Assert.True(reserve.IsSpent); // the runtime has its spares

        // Until the listener has looked again (every RecoveryCheckInterval), accepted clients are refused with the reason.
        using Socket next = await RawSocket.ConnectAsync(listener.LocalEndPoint);
        loop.Accepted!(loop.AcceptOne());
        Assert.Equal("ERROR :Server out of file descriptors; try again later", await RawSocket.ReadLineAsync(next));
        Assert.Equal(0, listener.OpenConnections);

        // Descriptors are plentiful here: after the interval the spares are taken back and clients admitted.
        time.Advance(ConnectionListener.RecoveryCheckInterval);
        using Socket admitted = await RawSocket.ConnectAsync(listener.LocalEndPoint);
        loop.Accepted!(loop.AcceptOne());
        Assert.False(reserve.IsSpent);
        Assert.Equal(1, listener.OpenConnections);
    }



    /// <summary>The accept loop, played by the test: it keeps the listener's callbacks and accepts when told.</summary>
    private sealed class PlayedAcceptLoop : IAcceptLoop
    {
        private Socket? _listenSocket;

        public Action<Socket>? Accepted { get; private set; }
        public Func<Exception, TimeSpan?>? Failed { get; private set; }

        public void Start(Socket listenSocket, Action<Socket> accepted, Func<Exception, TimeSpan?> failed)
        {
            _listenSocket = listenSocket;
            Accepted = accepted;
            Failed = failed;
        }

        public Socket AcceptOne() => _listenSocket!.Accept();

        public void Stop() { }
    }

    private sealed class SilentAcceptor : IConnectionAcceptor
    {
        public IConnectionSession OnConnected(IClientConnection connection) => new SilentSession();
    }

    private sealed class SilentSession : IConnectionSession
    {
        public void OnLine(ReadOnlySpan<byte> line) { }
        public void OnLineTooLong() { }
        public void OnInputResumed() { }
        public void OnDisconnected(string reason) { }
    }
}
