using System.Net;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Tests.Chat.Fakes;

/// <summary>Counts Sends and keeps nothing, so a measurement sees only the core's own allocations and memory.</summary>
internal sealed class CountingConnection : IClientConnection
{
    private static long s_nextId = 1_000_000;
    public long Id { get; } = Interlocked.Increment(ref s_nextId);
    public EndPoint? RemoteEndPoint => null;
    public int Sends;
    public void Send(ReadOnlyMemory<byte> lines) => Sends++;
    public void Close(string reason) { }
    public long QueuedBytes => 0;
    public bool PauseInputUntilDrained(long queuedBytesAtMost) => false;
    public void PauseInputUntil(long resumeAtTimestamp) { }

    public long UnreadInputBytes => 0;

    public int UnreadInputLines => 0;
}
