using System.Net;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Benchmarks;

/// <summary>The core's side of a client: accepts and drops its lines (the transport is measured apart).</summary>
internal sealed class DiscardingConnection(EndPoint? remote = null) : IClientConnection
{
    private static long s_nextId;
    public long Id { get; } = Interlocked.Increment(ref s_nextId);
    public EndPoint? RemoteEndPoint => remote;
    public long QueuedBytes => 0;
    public void Send(ReadOnlyMemory<byte> lines) { }
    public void Close(string reason) { }
    public bool PauseInputUntilDrained(long queuedBytesAtMost) => false;
    public void PauseInputUntil(long resumeAtTimestamp) { }
    public int UnreadInputLines => 0;
    public long UnreadInputBytes => 0;
}
