using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat.Fakes;

/// <summary>
/// An in-memory <see cref="IClientConnection"/>: records every Send (the memory itself, to check that fan-out
/// shares one array) and, like a transport, reports the disconnect to the session when closed. Its backlog
/// (<see cref="QueuedBytes"/>) is what was sent since the test last read (<see cref="TakeLines"/>); reading ends
/// a "paused until drained" pause the way a transport does, by calling the session's OnInputResumed.
/// </summary>
internal sealed class FakeConnection : IClientConnection
{
    private static long s_nextId;
    private readonly Lock _gate = new();
    private readonly List<ReadOnlyMemory<byte>> _sends = [];
    private int _taken;
    private long _unreadBytes;
    private long _resumeAtBacklog = -1;

    public long Id { get; } = Interlocked.Increment(ref s_nextId);
    public EndPoint? RemoteEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 40000);

    /// <summary>Set by the harness: the session to tell about a close.</summary>
    public IConnectionSession? Session { get; set; }

    /// <summary>When false, Close only records (a transport that has not reported the disconnect yet).</summary>
    public bool DisconnectOnClose { get; set; } = true;

    public string? ClosedWith { get; private set; }
    public int CloseCalls { get; private set; }

    /// <summary>How often the session paused this connection's input until its backlog drained.</summary>
    public int DrainPauses { get; private set; }

    /// <summary>Timestamps the session asked input to resume at (<see cref="PauseInputUntil"/>); recorded only.</summary>
    public List<long> TimePauses { get; } = [];

    /// <summary>True while the session waits for this connection's backlog to drain.</summary>
    public bool IsPausedForDrain
    {
        get
        {
            lock (_gate)
                return _resumeAtBacklog >= 0;
        }
    }

    public long QueuedBytes
    {
        get
        {
            lock (_gate)
                return _unreadBytes;
        }
    }

    /// <summary>The largest backlog seen since the test last reset it: what a SendQ would have had to hold.</summary>
    public long PeakQueuedBytes { get; set; }

    public void Send(ReadOnlyMemory<byte> lines)
    {
        lock (_gate)
        {
            if (ClosedWith is not null)
                return;
            _sends.Add(lines);
            _unreadBytes += lines.Length;
            PeakQueuedBytes = Math.Max(PeakQueuedBytes, _unreadBytes);
        }
    }

    public bool PauseInputUntilDrained(long queuedBytesAtMost)
    {
        lock (_gate)
        {
            if (ClosedWith is not null)
                return true;
            if (_unreadBytes <= queuedBytesAtMost)
                return false;
            _resumeAtBacklog = queuedBytesAtMost;
            DrainPauses++;
            return true;
        }
    }

    /// <summary>What the session reads as the client's unread input (a flooder pushing against TCP sets it high).</summary>
    public long UnreadInputBytes { get; set; }

    /// <summary>What the session reads as the complete lines the transport still holds.</summary>
    public int UnreadInputLines { get; set; }

    public void PauseInputUntil(long resumeAtTimestamp)
    {
        lock (_gate)
            TimePauses.Add(resumeAtTimestamp);
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

    /// <summary>
    /// Lines received since the previous call: the client read them, so its backlog is empty. A session waiting
    /// for that drain is resumed (outside the lock, as a transport does); what it writes then is in the next call.
    /// </summary>
    public List<string> TakeLines()
    {
        List<string> lines;
        bool resume;
        lock (_gate)
        {
            lines = SplitLines(_sends.Skip(_taken));
            _taken = _sends.Count;
            _unreadBytes = 0;
            resume = _resumeAtBacklog >= 0;
            _resumeAtBacklog = -1;
        }
        if (resume)
            Session?.OnInputResumed();
        return lines;
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
