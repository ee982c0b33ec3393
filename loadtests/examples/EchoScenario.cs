using System.Net;
using System.Net.Sockets;
using ChatLoad.LoadEngine;

namespace MyScenarios;

/// <summary>
/// <c>echo</c>: not IRC at all, to show the engine does not care what it drives. Each copy holds one TCP connection
/// from a <see cref="ClientPool{T}"/>, sends 64 bytes and waits until the same 64 bytes come back. With
/// <c>--target HOST:PORT</c> it drives that echo server; without, it starts one in this process on loopback (a
/// try-out: then the generator measures itself, too).
/// </summary>
public static class EchoScenario
{
    public const string Name = "echo";
    private const int PayloadBytes = 64;

    public static ScenarioProps Create()
    {
        var pool = new ClientPool<EchoConnection>();
        LoopbackEchoServer? localServer = null;

        return Scenario.Create(Name, async context =>
            {
                var connection = pool.GetClient(context.ScenarioInfo.InstanceNumber);
                return await connection.EchoAsync(context.ScenarioCancellationToken);
            })
            .WithInit(async context =>
            {
                IPEndPoint target;
                if (context.CustomSettings.TryGetValue("target", out var given))
                    target = ChatLoad.LoadClient.IrcLoadClientOptions.ParseEndPoint(given);
                else
                {
                    localServer = LoopbackEchoServer.Start();
                    target = localServer.EndPoint;
                    context.Notes.Add($"no --target: an echo server in this process at {target}");
                }
                // One connection per copy the load simulations will run at most.
                int copies = context.LoadSimulations.Select(s => s switch
                {
                    KeepConstantSimulation k => k.Copies,
                    RampingConstantSimulation r => r.Copies,
                    IterationsForConstantSimulation i => i.Copies,
                    _ => 1,
                }).DefaultIfEmpty(1).Max();
                for (int i = 0; i < copies; i++)
                    pool.AddClient(await EchoConnection.OpenAsync(target, context.CancellationToken));
                context.Properties["target"] = target.ToString();
            })
            .WithClean(async _ =>
            {
                await pool.DisposeClientsAsync();
                localServer?.Dispose();
            })
            .WithLoadSimulations(Simulation.KeepConstant(copies: 8, during: TimeSpan.FromSeconds(10)))
            .WithThresholds(Threshold.Create("fail% == 0"), Threshold.Create("p99 < 1s"))
            .WithDescription("raw TCP echo of 64 bytes on pooled connections, no IRC (--target HOST:PORT, or one in-process)");
    }

    /// <summary>One connection to an echo server.</summary>
    public sealed class EchoConnection : IDisposable
    {
        private readonly Socket _socket;
        private readonly byte[] _payload = new byte[PayloadBytes];
        private readonly byte[] _reply = new byte[PayloadBytes];

        private EchoConnection(Socket socket)
        {
            _socket = socket;
            Random.Shared.NextBytes(_payload);
        }

        public static async Task<EchoConnection> OpenAsync(IPEndPoint target, CancellationToken cancellationToken)
        {
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target, cancellationToken);
            return new EchoConnection(socket);
        }

        public async ValueTask<Response> EchoAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _socket.SendAsync(_payload, SocketFlags.None, cancellationToken);
                int received = 0;
                while (received < PayloadBytes)
                {
                    int n = await _socket.ReceiveAsync(_reply.AsMemory(received), SocketFlags.None, cancellationToken);
                    if (n == 0) return Response.Fail("closed", "the echo server closed the connection");
                    received += n;
                }
                return _reply.AsSpan().SequenceEqual(_payload)
                    ? Response.Ok(sizeBytes: PayloadBytes, bytesSent: PayloadBytes)
                    : Response.Fail("mismatch", "the echo differs from what was sent");
            }
            catch (SocketException e)
            {
                return Response.Fail(e.SocketErrorCode.ToString(), e.Message);
            }
        }

        public void Dispose() => _socket.Dispose();
    }

    /// <summary>An echo server on a free loopback port: whatever a connection sends comes back.</summary>
    private sealed class LoopbackEchoServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        private LoopbackEchoServer() { }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

        public static LoopbackEchoServer Start()
        {
            var server = new LoopbackEchoServer();
            server._listener.Start();
            _ = server.AcceptLoopAsync();
            return server;
        }

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    _ = EchoAsync(socket);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private async Task EchoAsync(Socket socket)
        {
            using (socket)
            await using (var stream = new NetworkStream(socket))
            {
                try { await stream.CopyToAsync(stream, _stop.Token); }
                catch (Exception e) when (e is OperationCanceledException or IOException) { }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
