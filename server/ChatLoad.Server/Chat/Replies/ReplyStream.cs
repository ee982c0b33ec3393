using System.Buffers;
using ChatLoad.Irc;
using ChatLoad.Server.Chat.Sessions;
using ChatLoad.Server.Transports;

namespace ChatLoad.Server.Chat.Replies;

/// <summary>
/// One session's streamed replies, in order, and the backpressure that paces them — ChatLoad's answer to "a
/// client's own replies must never get it dropped". A reply is queued only while the client's backlog is at most
/// a quarter of its SendQ, and only up to half of it; past that the client's input is paused
/// (<see cref="IClientConnection.PauseInputUntilDrained"/>) until the backlog is back to a quarter, and the reply
/// goes on where it stopped. The other half of the SendQ stays free for what others send the client meanwhile.
/// So a client that reads gets a reply of any length, and one that does not read is dropped by its SendQ as
/// before, for what others send it; memory stays bounded by the SendQ either way. (Ergo instead exempts a
/// client's own replies from its sendq and stops reading its input until they drain: no bound but the reply.)
/// </summary>
internal sealed class ReplyStream
{
    /// <summary>Largest array one part is written into; a larger budget is written as several Sends.</summary>
    internal const int MaxPartBytes = 16 * 1024;

    private readonly Queue<StreamedReply> _pending = new();

    /// <summary>True while a reply waits for the client to read.</summary>
    public bool IsWaiting => _pending.Count > 0;

    /// <summary>Writes <paramref name="reply"/> after any still waiting, as far as the client's backlog allows now.</summary>
    public void Add(ClientSession client, StreamedReply reply)
    {
        _pending.Enqueue(reply);
        if (_pending.Count == 1)
            Continue(client);
    }

    /// <summary>Goes on with the waiting replies (the client's input has resumed: it has read).</summary>
    public void Continue(ClientSession client)
    {
        IClientConnection connection = client.Connection;
        long sendQueue = client.Network.Options.SendQueueBytes;
        long resumeAt = sendQueue / 4;
        long fillTo = sendQueue / 2;
        while (_pending.TryPeek(out StreamedReply? reply))
        {
            long backlog = connection.QueuedBytes;
            if (backlog > resumeAt)
            {
                if (connection.PauseInputUntilDrained(resumeAt))
                    return; // OnInputResumed brings us back
                continue;   // it drained meanwhile
            }
            int budget = (int)Math.Min(fillTo - backlog, MaxPartBytes);
            var output = new ArrayBufferWriter<byte>(budget + IrcLimits.MaxLineBytes);
            int lines = 0;
            bool done = reply.WriteNext(output, budget, ref lines);
            client.Send(output.WrittenMemory, lines);
            if (done)
                _pending.Dequeue();
        }
    }

    /// <summary>The client is gone: drop what was waiting (and the snapshots it held).</summary>
    public void Clear() => _pending.Clear();
}
