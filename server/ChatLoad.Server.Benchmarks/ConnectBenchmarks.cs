using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Benchmarks;

/// <summary>
/// The chat core's share of one client of a connect storm, without sockets: a session for a new connection, NICK and
/// USER (the welcome burst: 001–005, LUSERS, the MOTD's 422), JOIN of a room of 10 (the JOIN to 9 members, NAMES to
/// the joiner), and its disconnect (the QUIT to the 9). What the transport and the kernel add per connect is measured
/// by the load runs (README, "Connect storms").
/// </summary>
[MemoryDiagnoser]
public class ConnectBenchmarks
{
    /// <summary>Members already in the room the benchmarked client joins (the independent generator's rooms of 10).</summary>
    public const int StandingMembers = 9;

    private const int Nicks = 1024; // the nick lines cycle; each client leaves before its nick comes round again

    private ChatServer _server = null!;
    private readonly byte[][] _nickLines = new byte[Nicks][];
    private readonly byte[][] _userLines = new byte[Nicks][];
    private readonly byte[] _join = "JOIN #room"u8.ToArray();
    private int _next;
    private static readonly EndPoint Remote = new IPEndPoint(IPAddress.Loopback, 40000);

    [GlobalSetup]
    public void Setup()
    {
        var options = new ServerOptions { Mode = ConnectionMode.Async, FloodControl = false };
        _server = new ChatServer(Options.Create(options), TimeProvider.System, NullLogger<ChatServer>.Instance, new ChatMetrics());
        for (int i = 0; i < StandingMembers; i++)
        {
            IConnectionSession member = _server.OnConnected(new DiscardingConnection(Remote));
            member.OnLine(Encoding.ASCII.GetBytes($"NICK member{i}"));
            member.OnLine(Encoding.ASCII.GetBytes($"USER member{i} 0 * :chatload-gen"));
            member.OnLine(_join);
        }
        for (int i = 0; i < Nicks; i++)
        {
            _nickLines[i] = Encoding.ASCII.GetBytes($"NICK g{i}");
            _userLines[i] = Encoding.ASCII.GetBytes($"USER g{i} 0 * :chatload-gen");
        }
    }

    [Benchmark(Description = "connect, register (welcome burst), join a room of 10, disconnect")]
    public void ConnectRegisterJoin()
    {
        int i = _next++ & (Nicks - 1);
        IConnectionSession session = _server.OnConnected(new DiscardingConnection(Remote));
        session.OnLine(_nickLines[i]);
        session.OnLine(_userLines[i]);
        session.OnLine(_join);
        session.OnDisconnected("Connection closed by peer");
    }

}
