using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat.Fakes;

/// <summary>
/// An in-memory <see cref="IClientConnection"/>: records every Send (the memory itself, to check that fan-out
/// shares one array) and, like a transport, reports the disconnect to the session when closed.
/// </summary>
internal sealed class FakeConnection : IClientConnection
{
    private static long s_nextId;
    private readonly Lock _gate = new();
    private readonly List<ReadOnlyMemory<byte>> _sends = [];
    private int _taken;

    public long Id { get; } = Interlocked.Increment(ref s_nextId);
    public EndPoint? RemoteEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 40000);

    /// <summary>Set by the harness: the session to tell about a close.</summary>
    public IConnectionSession? Session { get; set; }

    /// <summary>When false, Close only records (a transport that has not reported the disconnect yet).</summary>
    public bool DisconnectOnClose { get; set; } = true;

    public string? ClosedWith { get; private set; }
    public int CloseCalls { get; private set; }

    public void Send(ReadOnlyMemory<byte> lines)
    {
        lock (_gate)
        {
            if (ClosedWith is null)
                _sends.Add(lines);
        }
    }

    public void Close(string reason)
    {
        IConnectionSession? session;
        lock (_gate)
        {
            CloseCalls++;
            if (ClosedWith is not null)
                return;
            _sends.Add(Encoding.UTF8.GetBytes($"ERROR :{reason}\r\n"));
            ClosedWith = reason;
            session = DisconnectOnClose ? Session : null;
        }
        session?.OnDisconnected(reason);
    }

    /// <summary>Every Send so far, as given.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Sends
    {
        get
        {
            lock (_gate)
                return _sends.ToArray();
        }
    }

    /// <summary>All lines received so far, CRLF removed.</summary>
    public List<string> AllLines()
    {
        lock (_gate)
            return SplitLines(_sends);
    }

    /// <summary>Lines received since the previous call.</summary>
    public List<string> TakeLines()
    {
        lock (_gate)
        {
            List<string> lines = SplitLines(_sends.Skip(_taken));
            _taken = _sends.Count;
            return lines;
        }
    }

    /// <summary>The arrays behind each Send, for checking that recipients share one serialized message.</summary>
    public IEnumerable<byte[]> SentArrays() =>
        Sends.Select(m => MemoryMarshal.TryGetArray(m, out ArraySegment<byte> segment) ? segment.Array! : m.ToArray());

    private static List<string> SplitLines(IEnumerable<ReadOnlyMemory<byte>> sends)
    {
        var lines = new List<string>();
        foreach (ReadOnlyMemory<byte> send in sends)
        {
            string text = Encoding.UTF8.GetString(send.Span);
            Assert.EndsWith("\r\n", text); // every Send holds whole lines
            lines.AddRange(text[..^2].Split("\r\n"));
        }
        return lines;
    }
}
