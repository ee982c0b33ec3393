using System.Text;
using BenchmarkDotNet.Attributes;
using ChatLoad.Irc;
using ChatLoad.Server.Chat;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Hosting;
using ChatLoad.Server.Metrics;
using ChatLoad.Server.Transports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatLoad.Server.Benchmarks;

/// <summary>
/// A channel message's path through the server, stage by stage, without sockets: parse the received line, dispatch
/// the PRIVMSG to a room of 100 (the core's whole fan-out into each member's connection), encode the relayed line
/// once, and enqueue it per recipient into the transport's SendQ and take it out again as the writer does. The
/// allocation column is the point as much as the time: one array per message (the shared relayed line), none per
/// recipient.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    /// <summary>Members of the room the dispatch fans out to (the "rooms of 100").</summary>
    public const int RoomSize = 100;

    /// <summary>Lines queued to one recipient before its writer takes them: one vectored write's worth.</summary>
    public const int LinesPerWrite = 16;

    private readonly byte[] _line = "PRIVMSG #room :hello everyone, this is a message of about the load suite's size"u8.ToArray();
    private ChatServer _server = null!;
    private IConnectionSession _sender = null!;
    private ClientIdentity _identity = null!;
    private BenchConnection _transport = null!;
    private readonly List<ArraySegment<byte>> _batch = new(TransportConnection.MaxSegmentsPerWrite);

    [GlobalSetup]
    public void Setup()
    {
        var options = new ServerOptions { Mode = ConnectionMode.Async, FloodControl = false };
        _server = new ChatServer(Options.Create(options), TimeProvider.System, NullLogger<ChatServer>.Instance, new ChatMetrics());
        IConnectionSession? first = null;
        for (int i = 0; i < RoomSize; i++)
        {
            IConnectionSession session = _server.OnConnected(new DiscardingConnection());
            session.OnLine(Encoding.ASCII.GetBytes($"NICK member{i}"));
            session.OnLine(Encoding.ASCII.GetBytes($"USER member{i} 0 * :Member {i}"));
            session.OnLine("JOIN #room"u8);
            first ??= session;
        }
        _sender = first!;
        _identity = new ClientIdentity("member0", "member0", "Member 0", "127.0.0.1");
        _transport = new BenchConnection(options);
    }

    [Benchmark(Description = "parse a PRIVMSG line")]
    public int ParseLine()
    {
        IrcMessage.TryParse(_line, out IrcMessage message);
        return message.ParameterCount;
    }

    [Benchmark(Description = "encode the relayed line once")]
    public byte[] EncodeOnce() => RelayedLine.Format(_identity, "PRIVMSG", "#room", "hello everyone, this is a message of about the load suite's size"u8);

    [Benchmark(Description = "dispatch a PRIVMSG to a room of 100 (99 deliveries)")]
    public void DispatchToRoom() => _sender.OnLine(_line);

    [Benchmark(Description = "enqueue per recipient, then take as one write (per line)", OperationsPerInvoke = LinesPerWrite)]
    public long EnqueuePerRecipient()
    {
        for (int i = 0; i < LinesPerWrite; i++)
            _transport.Send(_line);
        return _transport.WriteOnce(_batch);
    }
}
